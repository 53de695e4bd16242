"""The one address rule: what the form accepts is exactly what the mailer can give SES."""

from __future__ import annotations

import pytest

from registrar.address import UndeliverableAddress, deliverable_address


@pytest.mark.parametrize(
    ("typed", "sent_as"),
    [
        ("erika.mustermann@example.org", "erika.mustermann@example.org"),
        ("Erika.Mustermann@Example.ORG", "Erika.Mustermann@example.org"),
        ("erika+kongress@sub.example.org", "erika+kongress@sub.example.org"),
        # IDNA 2008: the domain DENIC registers for straße.de, not strasse.de (IDNA 2003).
        ("info@straße.de", "info@xn--strae-oqa.de"),
        ("info@STRASSE.de", "info@strasse.de"),
        ("info@xn--strae-oqa.de", "info@xn--strae-oqa.de"),
        ("jana@müller-kommune.de", "jana@xn--mller-kommune-wob.de"),
    ],
)
def test_what_can_be_sent_is_given_to_ses_in_ascii(typed: str, sent_as: str) -> None:
    assert deliverable_address(typed) == sent_as


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("jörg@example.org", "international_local_part"),  # SMTPUTF8, which SES lacks
        ("vïctim@example.org", "international_local_part"),
        ("info@ｅｘａｍｐｌｅ．ｏｒｇ", "domain_form"),  # full-width letters and dot
        ("info@ｅｘａｍｐｌｅ.org", "domain_form"),
        ("x..y@example.org", "syntax"),
        (".x@example.org", "syntax"),
        ("a b@example.org", "syntax"),
        ('"quoted"@example.org', "syntax"),
        ("a@[192.0.2.1]", "syntax"),
        ("Erika <erika@example.org>", "syntax"),
        ("erika@localhost", "syntax"),
        ("erika@printer.local", "syntax"),
        ("erika@example", "syntax"),
        ("no-at-sign", "syntax"),
        ("", "syntax"),
        ("a@" + "b" * 64 + ".org", "syntax"),  # a label is at most 63 characters
        ("a" * 65 + "@example.org", "syntax"),  # RFC 5321: 64 octets before the @
    ],
)
def test_what_ses_cannot_take_is_refused_with_the_reason(typed: str, problem: str) -> None:
    with pytest.raises(UndeliverableAddress) as refused:
        deliverable_address(typed)

    assert refused.value.problem == problem
    assert typed not in str(refused.value) or not typed  # no address in logs
