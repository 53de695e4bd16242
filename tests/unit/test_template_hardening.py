"""Static checks of infra/template.yaml's encryption choices: TLS for mail, optional own key.

The customer-managed key is off by default (AWS-owned keys cost nothing); switched on, every
table, queue and log group uses it, and the key exists only then.
"""

from __future__ import annotations

from typing import Any

from registrar_local.infra.template import (
    NO_VALUE,
    load_template,
    parameter_defaults,
    resolve,
    resources_of_type,
    template_path,
)

TEMPLATE = load_template()
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]
CONDITION = "UsesCustomerManagedKey"


def _resolved(properties: Any, use_key: str) -> Any:
    params = {**parameter_defaults(TEMPLATE), "UseCustomerManagedKey": use_key}
    refs = {"AWS::Region": "eu-central-1"}
    getatts = {("DataKey", "Arn"): "arn:aws:kms:eu-central-1:123456789012:key/data"}
    return resolve(
        properties, refs, params, getatts=getatts, conditions=TEMPLATE.get("Conditions") or {}
    )


def test_mail_leaves_ses_only_over_tls() -> None:
    (config_set,) = resources_of_type(TEMPLATE, "AWS::SES::ConfigurationSet").values()
    assert config_set["Properties"]["DeliveryOptions"] == {"TlsPolicy": "REQUIRE"}


def test_the_customer_managed_key_is_off_by_default_and_exists_only_when_chosen() -> None:
    assert parameter_defaults(TEMPLATE)["UseCustomerManagedKey"] == "false"
    assert TEMPLATE["Parameters"]["UseCustomerManagedKey"]["AllowedValues"] == ["false", "true"]
    (key,) = resources_of_type(TEMPLATE, "AWS::KMS::Key").values()
    assert key["Condition"] == CONDITION
    assert key["Properties"]["EnableKeyRotation"] is True


def test_with_the_key_every_table_queue_and_log_group_uses_it() -> None:
    key = "arn:aws:kms:eu-central-1:123456789012:key/data"
    for table in resources_of_type(TEMPLATE, "AWS::DynamoDB::Table").values():
        sse = _resolved(table["Properties"]["SSESpecification"], "true")
        assert sse == {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": key}
        assert _resolved(table["Properties"]["SSESpecification"], "false") == {"SSEEnabled": True}
    for queue in resources_of_type(TEMPLATE, "AWS::SQS::Queue").values():
        props = queue["Properties"]
        assert _resolved(props["KmsMasterKeyId"], "true") == key
        assert _resolved(props["SqsManagedSseEnabled"], "true") is NO_VALUE
        assert _resolved(props["KmsMasterKeyId"], "false") is NO_VALUE
        assert _resolved(props["SqsManagedSseEnabled"], "false") is True
    for group in resources_of_type(TEMPLATE, "AWS::Logs::LogGroup").values():
        assert _resolved(group["Properties"]["KmsKeyId"], "true") == key
        assert _resolved(group["Properties"]["KmsKeyId"], "false") is NO_VALUE


def test_the_key_is_used_only_through_dynamodb_sqs_and_this_accounts_logs() -> None:
    (key,) = resources_of_type(TEMPLATE, "AWS::KMS::Key").values()
    statements = {s["Sid"]: s for s in key["Properties"]["KeyPolicy"]["Statement"]}
    use = statements["UseThroughDynamoDbAndSqs"]
    assert "kms:CallerAccount" in use["Condition"]["StringEquals"]
    assert len(use["Condition"]["StringEquals"]["kms:ViaService"]) == 2
    logs = statements["CloudWatchLogsForThisAccount"]
    assert "kms:EncryptionContext:aws:logs:arn" in logs["Condition"]["ArnLike"]


def test_the_readme_cost_table_names_the_key() -> None:
    readme = (template_path().parents[1] / "README.md").read_text(encoding="utf-8")
    costs = readme.split("### What 1,000 applicants cost", 1)[1].split("\n## ", 1)[0]
    assert "UseCustomerManagedKey" in costs
    assert "KMS" in costs
