"""The feedback function on moto: SES bounce and complaint events stop mail to an address.

Fed ``events/ses-*.json`` (SES's events on the event bus) as the template's rules hand them
over (``tests.support.eventbridge``: pattern and input transformer), with the message tags
pointing at a stored application; then a later request for that application is not sent.
The transformed input carries no address, so neither the function nor its dead-letter
queue ever holds one.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from registrar.conference import Conference
from registrar.store.dynamo import DynamoApplications
from registrar_local.infra.template import load_template
from tests.support.eventbridge import delivered, rules_for
from tests.support.mail import (
    FakeTime,
    records_event,
    request_for,
    sent_messages,
    spy_on_ses,
    store_application,
)
from tests.support.stack import Deployed, load_event

TEMPLATE = load_template()


def ses_event(
    name: str, event_id: str, key: str, *, tags: dict[str, str] | None = None, **bounce: str
) -> dict[str, Any]:
    """SES's event as the feedback function's rule hands it over (``tags``: the sent
    message's further tags)."""
    event = load_event(name)
    published = event["detail"]["mail"]["tags"]
    published["event"], published["applicant"] = [event_id], [key]
    published.update({tag: [value] for tag, value in (tags or {}).items()})
    if bounce:
        event["detail"]["bounce"].update(bounce)
    (handed_over,) = delivered("FeedbackFunction", event)
    return handed_over


def test_a_bounce_marks_the_address_undeliverable_and_later_mail_is_not_sent(
    deployed: Deployed, conference: Conference, fake_time: FakeTime
) -> None:
    application = store_application(conference, "accepted", 1, deployed.clock.now())
    event = ses_event("ses-bounce", conference.id, application.applicant_key)

    result = deployed.call("FeedbackFunction", event)

    assert result == {"event_type": "Bounce", "outcome": "marked"}
    stored = DynamoApplications().get(conference.id, application.applicant_key)
    assert stored is not None and stored.undeliverable
    assert stored.status == "accepted"  # the decision stands; only mail stops
    entry = stored.history[-1]
    assert (entry.action, entry.actor) == ("undeliverable", "ses")
    assert entry.detail == "bounce General (accepted)"
    assert application.email not in entry.detail
    # What `registrar status` counts.
    assert sum(a.undeliverable for a in DynamoApplications().list(conference.id)) == 1

    later = request_for("program", stored)
    assert deployed.call("MailerFunction", records_event([later])) == {"batchItemFailures": []}
    assert sent_messages() == []

    # SES may report the same bounce twice: nothing changes the second time.
    assert deployed.call("FeedbackFunction", event)["outcome"] == "already_marked"
    again = DynamoApplications().get(conference.id, application.applicant_key)
    assert again is not None and again.version == stored.version


def test_a_complaint_stops_mail_too(
    deployed: Deployed, conference: Conference, fake_time: FakeTime
) -> None:
    application = store_application(conference, "waitlisted", 1, deployed.clock.now())
    event = ses_event("ses-complaint", conference.id, application.applicant_key)
    assert deployed.call("FeedbackFunction", event) == {
        "event_type": "Complaint",
        "outcome": "marked",
    }
    stored = DynamoApplications().get(conference.id, application.applicant_key)
    assert stored is not None and stored.undeliverable
    assert stored.history[-1].detail == "complaint abuse (accepted)"


@pytest.mark.parametrize(
    ("name", "bounce", "outcome"),
    [
        ("ses-delivery", {}, "noted"),
        ("ses-bounce", {"bounceType": "Transient", "bounceSubType": "MailboxFull"}, "noted"),
        ("ses-bounce", {"bounceType": "Undetermined"}, "noted"),
    ],
)
def test_deliveries_and_passing_bounces_change_nothing(
    deployed: Deployed,
    conference: Conference,
    fake_time: FakeTime,
    name: str,
    bounce: dict[str, str],
    outcome: str,
) -> None:
    application = store_application(conference, "accepted", 1, deployed.clock.now())
    event = ses_event(name, conference.id, application.applicant_key, **bounce)
    assert deployed.call("FeedbackFunction", event)["outcome"] == outcome
    stored = DynamoApplications().get(conference.id, application.applicant_key)
    assert stored is not None and not stored.undeliverable
    assert stored.version == application.version


def test_events_about_other_events_or_unknown_applicants_are_left_alone(
    deployed: Deployed, conference: Conference, fake_time: FakeTime
) -> None:
    application = store_application(conference, "accepted", 1, deployed.clock.now())
    other = ses_event("ses-bounce", "another-event", application.applicant_key)
    assert deployed.call("FeedbackFunction", other)["outcome"] == "not_ours"
    unknown = ses_event("ses-bounce", conference.id, "0" * 32)
    assert deployed.call("FeedbackFunction", unknown)["outcome"] == "unknown"
    untagged = ses_event("ses-bounce", conference.id, application.applicant_key)
    del untagged["mail"]["tags"]["applicant"]
    assert deployed.call("FeedbackFunction", untagged)["outcome"] == "not_ours"
    stored = DynamoApplications().get(conference.id, application.applicant_key)
    assert stored is not None and not stored.undeliverable


# ---------------------------------------------------------------- the template (static)


def test_ses_publishes_the_four_event_types_to_the_default_bus() -> None:
    (destination,) = [
        resource["Properties"]
        for resource in TEMPLATE["Resources"].values()
        if resource["Type"] == "AWS::SES::ConfigurationSetEventDestination"
    ]
    assert destination["ConfigurationSetName"] == {"Ref": "MailConfigurationSet"}
    target = destination["EventDestination"]
    assert target["Enabled"] is True
    assert sorted(target["MatchingEventTypes"]) == ["bounce", "complaint", "delivery", "reject"]
    assert target["EventBridgeDestination"]["EventBusArn"]["Fn::Sub"].endswith(":event-bus/default")


def test_the_feedback_function_hears_only_this_stacks_configuration_set() -> None:
    rules = rules_for("FeedbackFunction")
    assert {rule["Pattern"]["source"][0] for rule in rules} == {"aws.ses"}
    heard = sorted(t for rule in rules for t in rule["Pattern"]["detail-type"])
    assert sorted(set(heard)) == [
        "Email Bounced",
        "Email Complaint Received",
        "Email Delivered",
        "Email Rejected",
    ]
    for rule in rules:
        assert rule["Pattern"]["detail"]["mail"]["tags"]["ses:configuration-set"] == [
            "registrar-dev"  # the parameter's default, as the tests deploy it
        ]
    other_stack = load_event("ses-bounce")
    other_stack["detail"]["mail"]["tags"]["ses:configuration-set"] = ["someone-else"]
    assert delivered("FeedbackFunction", other_stack) == []


@pytest.mark.parametrize("name", ["ses-bounce", "ses-complaint", "ses-delivery"])
def test_each_ses_event_reaches_the_function_once_and_without_any_address(name: str) -> None:
    event = load_event(name)
    addresses = {*event["detail"]["mail"]["destination"], event["detail"]["mail"]["source"]}
    (handed_over,) = delivered("FeedbackFunction", event)
    text = json.dumps(handed_over)
    assert not any(address in text for address in addresses)
    assert "@" not in text  # nor anybody else's: what the dead-letter queue would keep
    assert handed_over["eventType"] == event["detail"]["eventType"]
    assert handed_over["mail"]["tags"] == event["detail"]["mail"]["tags"]


def test_a_complaint_without_a_feedback_type_still_arrives() -> None:
    event = load_event("ses-complaint")
    del event["detail"]["complaint"]["complaintFeedbackType"]
    (handed_over,) = delivered("FeedbackFunction", event)
    assert handed_over["complaint"] == {}


def test_the_feedback_function_may_only_read_and_write_back_applications() -> None:
    properties = TEMPLATE["Resources"]["FeedbackFunction"]["Properties"]
    (policy,) = properties["Policies"]
    assert policy["Statement"] == [
        {
            "Sid": "MarkApplicationUndeliverable",
            "Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
            "Resource": {"Fn::GetAtt": ["ApplicationsTable", "Arn"]},
            "Condition": {
                "ForAllValues:StringEquals": {"dynamodb:LeadingKeys": [{"Ref": "ConferenceId"}]}
            },
        }
    ]
    failures = properties["EventInvokeConfig"]["DestinationConfig"]["OnFailure"]
    assert failures["Destination"] == {"Fn::GetAtt": ["FeedbackDeadLetterQueue", "Arn"]}


def test_a_bounce_of_a_mail_to_the_office_alone_sends_later_mail_to_the_person(
    deployed: Deployed,
    conference: Conference,
    fake_time: FakeTime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A mayor's office registered the mayor, mails to the office only: its address bounces
    (a typo). SES's event names no address; the mail's tag says it went to the office
    alone, so the mayor's own address is not in question and gets every later mail."""
    office = "buero.tippfehler@example.org"
    application = store_application(
        conference, "accepted", 1, deployed.clock.now(), submitted_by=office,
        submitter_copy="only",
    )  # fmt: skip
    spy = spy_on_ses(monkeypatch)
    accepted = request_for("accepted", application)
    assert deployed.call("MailerFunction", records_event([accepted])) == {"batchItemFailures": []}
    (to_office,) = sent_messages()
    assert str(to_office["To"]) == office and to_office["Cc"] is None
    (tags,) = spy.tags
    assert tags["recipient"] == "submitter" and office not in str(tags)
    event = ses_event("ses-bounce", conference.id, application.applicant_key, tags=tags)

    assert deployed.call("FeedbackFunction", event)["outcome"] == "marked"
    stored = DynamoApplications().get(conference.id, application.applicant_key)
    assert stored is not None and not stored.undeliverable and stored.submitter_undeliverable
    assert stored.history[-1].action == "submitter_undeliverable"
    assert office not in stored.history[-1].detail

    later = request_for("program", stored)
    assert deployed.call("MailerFunction", records_event([later])) == {"batchItemFailures": []}
    to_person = sent_messages()[-1]
    assert str(to_person["To"]) == application.email and to_person["Cc"] is None
    assert "recipient" not in spy.tags[-1]  # the person's mail is not the office's
    assert deployed.call("FeedbackFunction", event)["outcome"] == "already_marked"


def test_a_bounce_of_the_offices_copy_marks_only_the_office_and_the_person_gets_later_mail(
    deployed: Deployed,
    conference: Conference,
    fake_time: FakeTime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A mayor's office registered the mayor with a copy of every mail to itself: the copy
    is a message of its own, so SES's event (no address) tells by its tag that the office's
    address bounced; the mayor's mail goes on."""
    office = "buero.tippfehler@example.org"
    application = store_application(
        conference, "accepted", 1, deployed.clock.now(), submitted_by=office,
        submitter_copy="copy",
    )  # fmt: skip
    spy = spy_on_ses(monkeypatch)
    accepted = request_for("accepted", application)
    assert deployed.call("MailerFunction", records_event([accepted])) == {"batchItemFailures": []}
    to_person, to_office = sent_messages()
    assert str(to_person["To"]) == application.email and to_person["Cc"] is None
    assert str(to_office["To"]) == office and to_office["Cc"] is None
    person_tags, office_tags = spy.tags
    assert "recipient" not in person_tags and office_tags["recipient"] == "submitter"
    event = ses_event("ses-bounce", conference.id, application.applicant_key, tags=office_tags)

    assert deployed.call("FeedbackFunction", event)["outcome"] == "marked"
    stored = DynamoApplications().get(conference.id, application.applicant_key)
    assert stored is not None and stored.submitter_undeliverable and not stored.undeliverable

    later = request_for("program", stored)
    assert deployed.call("MailerFunction", records_event([later])) == {"batchItemFailures": []}
    (to_person_alone,) = sent_messages()[2:]
    assert str(to_person_alone["To"]) == application.email and to_person_alone["Cc"] is None


def test_a_bounce_of_the_persons_message_marks_the_person_not_the_office(
    deployed: Deployed,
    conference: Conference,
    fake_time: FakeTime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same mail's message to the person bounces: the person's address is marked (no
    more mail for the application, as for anyone), the office's is not in question."""
    application = store_application(
        conference, "accepted", 1, deployed.clock.now(),
        submitted_by="buero@example.org", submitter_copy="copy",
    )  # fmt: skip
    spy = spy_on_ses(monkeypatch)
    accepted = request_for("accepted", application)
    assert deployed.call("MailerFunction", records_event([accepted])) == {"batchItemFailures": []}
    person_tags, _ = spy.tags
    event = ses_event("ses-bounce", conference.id, application.applicant_key, tags=person_tags)

    assert deployed.call("FeedbackFunction", event)["outcome"] == "marked"
    stored = DynamoApplications().get(conference.id, application.applicant_key)
    assert stored is not None and stored.undeliverable and not stored.submitter_undeliverable
