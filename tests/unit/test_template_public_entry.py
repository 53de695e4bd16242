"""Static checks of the public entry: CloudFront guarded by the web ACL of infra/waf.yaml.

A script must not flood the lottery: one client address gets a limited number of POSTs,
AWS's managed rule groups refuse common exploits and known bad inputs, and the API's own
URL is no way around either (the api answers only the entry's origin header).
"""

from __future__ import annotations

import json
from typing import Any

from registrar_local.edge import ORIGIN_VERIFY_SECRET, post_limit, waf_template_path
from registrar_local.infra.template import (
    functions,
    load_template,
    parameter_defaults,
    resources_of_type,
)
from tests.support.roles import effective_roles

TEMPLATE = load_template()
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]
WAF = load_template(waf_template_path())


def web_acl() -> dict[str, Any]:
    (acl,) = resources_of_type(WAF, "AWS::WAFv2::WebACL").values()
    return acl


def rule(name: str) -> dict[str, Any]:
    (found,) = [r for r in web_acl()["Properties"]["Rules"] if r["Name"] == name]
    return found


def distribution_config() -> dict[str, Any]:
    (distribution,) = resources_of_type(TEMPLATE, "AWS::CloudFront::Distribution").values()
    config: dict[str, Any] = distribution["Properties"]["DistributionConfig"]
    return config


# ---------------------------------------------------------------- the web ACL


def test_the_web_acl_guards_a_cloudfront_entry_and_lets_the_rest_through() -> None:
    props = web_acl()["Properties"]

    assert props["Scope"] == "CLOUDFRONT"  # hence its own stack in us-east-1
    assert props["DefaultAction"] == {"Allow": {}}
    assert WAF["Outputs"]["WebAclArn"]["Value"] == {"Fn::GetAtt": ["WebAcl", "Arn"]}


def test_one_client_address_may_send_only_so_many_posts_in_a_window() -> None:
    posts = rule("PostsPerClient")
    statement = posts["Statement"]["RateBasedStatement"]
    scope = statement["ScopeDownStatement"]["ByteMatchStatement"]

    assert statement["AggregateKeyType"] == "IP"
    assert scope["FieldToMatch"] == {"Method": {}}
    assert (scope["PositionalConstraint"], scope["SearchString"]) == ("EXACTLY", "POST")
    assert posts["Action"]["Block"]["CustomResponse"]["ResponseCode"] == 403
    assert posts["Priority"] == 0  # counted before anything else lets a request through


def test_the_limit_leaves_room_for_a_town_hall_behind_one_address() -> None:
    limit = post_limit(WAF)

    # Submission, confirmation and one manage action each: 20 colleagues at once.
    assert limit.limit >= 3 * 20
    # ... and a script at one address stays far below the 18,000 an hour of the finding.
    assert limit.limit * 3600 / limit.window_seconds <= 1_000
    assert (limit.status, limit.content_type) == (403, "text/html; charset=utf-8")
    assert "Too many requests" in limit.page and "Zu viele Anfragen" in limit.page


def test_aws_managed_rules_refuse_common_exploits_and_known_bad_inputs() -> None:
    for name in ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"):
        group = rule(name)
        assert group["Statement"]["ManagedRuleGroupStatement"] == {
            "VendorName": "AWS",
            "Name": name,
        }
        assert group["OverrideAction"] == {"None": {}}  # block, not just count


def test_the_firewall_keeps_no_applicant_addresses() -> None:
    props = web_acl()["Properties"]
    configs = [props["VisibilityConfig"], *(r["VisibilityConfig"] for r in props["Rules"])]

    assert all(config["SampledRequestsEnabled"] is False for config in configs)
    assert all(config["CloudWatchMetricsEnabled"] is True for config in configs)
    assert not resources_of_type(WAF, "AWS::WAFv2::LoggingConfiguration")


# ---------------------------------------------------------------- the entry


def test_the_public_entry_cannot_be_deployed_without_its_web_acl() -> None:
    parameter = TEMPLATE["Parameters"]["WebAclArn"]

    assert "WebAclArn" not in parameter_defaults(TEMPLATE)
    assert parameter["AllowedPattern"].startswith("^arn:aws[a-zA-Z-]*:wafv2:us-east-1:")
    assert distribution_config()["WebACLId"] == {"Ref": "WebAclArn"}


def test_the_entry_forwards_everything_to_the_http_api_and_caches_nothing() -> None:
    config = distribution_config()
    (origin,) = config["Origins"]
    behaviour = config["DefaultCacheBehavior"]

    assert origin["DomainName"] == {
        "Fn::Sub": "${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"
    }
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert behaviour["TargetOriginId"] == origin["Id"]
    assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
    assert {"GET", "POST"} <= set(behaviour["AllowedMethods"])
    assert behaviour["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # disabled
    # All viewer headers but Host (API Gateway answers only to its own host name).
    assert behaviour["OriginRequestPolicyId"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def test_the_viewers_host_reaches_the_api_for_its_same_site_check() -> None:
    (association,) = distribution_config()["DefaultCacheBehavior"]["FunctionAssociations"]
    function = RESOURCES[association["FunctionARN"]["Fn::GetAtt"][0]]
    code = function["Properties"]["FunctionCode"]

    assert association["EventType"] == "viewer-request"
    assert "request.headers['x-forwarded-host'] = {value: request.headers.host.value}" in code


def test_the_apis_own_url_is_no_way_around_the_entry() -> None:
    (origin,) = distribution_config()["Origins"]
    (header,) = origin["OriginCustomHeaders"]
    secret = RESOURCES[ORIGIN_VERIFY_SECRET]
    api = functions(TEMPLATE)["ApiFunction"]

    assert header["HeaderName"] == "X-Origin-Verify"
    assert header["HeaderValue"] == {
        "Fn::Sub": "{{resolve:secretsmanager:${OriginVerifySecret}:SecretString}}"
    }
    assert secret["Properties"]["GenerateSecretString"]["PasswordLength"] >= 32
    assert api.environment["ORIGIN_VERIFY_SECRET_ARN"] == {"Ref": ORIGIN_VERIFY_SECRET}
    reads = [
        s
        for s in effective_roles()["ApiFunction"]["statements"]
        if "secretsmanager:GetSecretValue" in json.dumps(s["Action"])
    ]
    assert {"Ref": ORIGIN_VERIFY_SECRET} in [s["Resource"] for s in reads]


def test_links_in_emails_point_to_the_entry_not_to_the_api() -> None:
    for function_id in ("MailerFunction", "AdmissionsFunction"):
        base = functions(TEMPLATE)[function_id].environment["PUBLIC_BASE_URL"]
        assert "execute-api" not in json.dumps(base), function_id
        assert json.dumps({"Fn::Sub": "https://${PublicEntry.DomainName}"}) in json.dumps(base)


def test_the_custom_domain_is_the_entrys_alias_with_its_us_east_1_certificate() -> None:
    config = distribution_config()
    defaults = parameter_defaults(TEMPLATE)

    assert defaults["DomainName"] == defaults["CertificateArn"] == ""
    assert config["Aliases"] == {
        "Fn::If": ["HasCustomDomain", [{"Ref": "DomainName"}], {"Ref": "AWS::NoValue"}]
    }
    with_domain, without = config["ViewerCertificate"]["Fn::If"][1:]
    assert with_domain == {
        "AcmCertificateArn": {"Ref": "CertificateArn"},
        "SslSupportMethod": "sni-only",
        "MinimumProtocolVersion": "TLSv1.2_2021",
    }
    assert without == {"CloudFrontDefaultCertificate": True}
    pattern = TEMPLATE["Parameters"]["CertificateArn"]["AllowedPattern"]
    assert ":acm:us-east-1:" in pattern
