"""The one address rule: what the form accepts is exactly what the mailer can give SES."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registrar.address import (
    ATEXT,
    CASE_INSENSITIVE_MAILBOX_NAMES,
    DOMAIN_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    LABEL_MAX_LENGTH,
    LOCAL_PART_MAX_LENGTH,
    SPECIAL_USE_DOMAIN_NAMES,
    UndeliverableAddress,
    deliverable_address,
    plain_address,
    validated_address,
)


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


# The plain form is answered without email-validator (its import compiles its grammar, most
# of the mailer's address check on a cold start): it must accept nothing email-validator
# refuses and give SES exactly what email-validator gives.
# Pieces that meet email-validator's rules and their edges (RFC 2142's names, hyphens at a
# label's ends and doubled, punycode, special-use names, upper case, lengths at the limits),
# and, in some addresses, pieces that break them.
_LOCAL_PIECES = ["erika", "Info", "POSTMASTER", "www", "o'brien", "a+b", ".", "-", "{|}~"]
_ODD_LOCAL_PIECES = ['"', " ", "<", "@", "(x)", "..", "é", "a" * 30, "=?^`"]
_LABEL_PIECES = ["example", "EXAMPLE", "de", "-", "--", "xn--", "xn--strae-oqa", "ab", "1"]
_LABEL_PIECES += ["b" * 31, "local", "test", "arpa"]
_ODD_LABEL_PIECES = ["_", "ß", "é", " ", "[", "ｅ", "."]
_TLDS = ["org", "de", "ORG", "local", "test", "arpa", "onion", "invalid", "localhost", "x1"]
_TLDS += ["o1", "1", "", "Org", "xn--p1ai"]


@st.composite
def addresses(draw: st.DrawFn) -> str:
    odd = draw(st.integers(0, 3)) == 0
    local_pieces = _LOCAL_PIECES + _ODD_LOCAL_PIECES if odd else _LOCAL_PIECES
    label_pieces = _LABEL_PIECES + _ODD_LABEL_PIECES if odd else _LABEL_PIECES
    local = "".join(draw(st.lists(st.sampled_from(local_pieces), min_size=1, max_size=3)))
    labels = [
        "".join(draw(st.lists(st.sampled_from(label_pieces), min_size=1, max_size=3)))
        for _ in range(draw(st.integers(0 if odd else 1, 3)))
    ]
    tld = draw(st.sampled_from(_TLDS))
    separator = draw(st.sampled_from(["@", "@@", ""])) if odd else "@"
    return local + separator + ".".join([*labels, tld] if tld else labels)


def _by_email_validator(address: str) -> str | None:
    try:
        return validated_address(address)
    except UndeliverableAddress:
        return None


@settings(max_examples=3000, deadline=None)
@given(addresses())
def test_the_plain_form_is_answered_exactly_as_email_validator_answers(address: str) -> None:
    plain = plain_address(address)
    if plain is not None:
        assert _by_email_validator(address) == plain


@settings(max_examples=1000, deadline=None)
@given(
    st.from_regex(r"[a-zA-Z0-9._+-]{1,70}@([a-zA-Z0-9-]{1,64}\.){1,3}[a-zA-Z]{1,8}", fullmatch=True)
)
def test_plain_looking_addresses_too(address: str) -> None:
    plain = plain_address(address)
    if plain is not None:
        assert _by_email_validator(address) == plain


@pytest.mark.parametrize(
    "typed",
    [
        "erika.mustermann@example.org",
        "Erika.Mustermann@Example.ORG",
        "Info@Gemeinde-Beispiel.de",  # RFC 2142's names are case-insensitive: info@
        "o'brien+kongress@mail.sub.example.org",
        "a" * 64 + "@example.org",
    ],
)
def test_everyday_addresses_need_no_email_validator(typed: str) -> None:
    assert plain_address(typed) == validated_address(typed)


@pytest.mark.parametrize(
    "typed",
    [
        "info@straße.de",
        "info@xn--strae-oqa.de",  # punycode: email-validator checks it
        "erika@ab--cd.de",
        "erika@printer.local",
        "erika@example.test",
        "x..y@example.org",
        "erika@example",
        "erika@-example.org",
        "erika@example.o1",
        "a" * 65 + "@example.org",
        "a@" + "b" * 64 + ".org",
        "a" * 64 + "@" + "b" * 63 + "." + "b" * 63 + "." + "b" * 58 + ".org",  # 255 in all
        "Erika <erika@example.org>",
    ],
)
def test_anything_unusual_is_left_to_email_validator(typed: str) -> None:
    assert plain_address(typed) is None


def test_the_plain_rules_are_email_validators_own() -> None:
    import email_validator
    from email_validator import rfc_constants

    assert set(SPECIAL_USE_DOMAIN_NAMES) == set(email_validator.SPECIAL_USE_DOMAIN_NAMES)
    assert all("." not in name for name in SPECIAL_USE_DOMAIN_NAMES)  # last label suffices
    assert set(rfc_constants.CASE_INSENSITIVE_MAILBOX_NAMES) == CASE_INSENSITIVE_MAILBOX_NAMES
    assert (EMAIL_MAX_LENGTH, LOCAL_PART_MAX_LENGTH, DOMAIN_MAX_LENGTH, LABEL_MAX_LENGTH) == (
        rfc_constants.EMAIL_MAX_LENGTH,
        rfc_constants.LOCAL_PART_MAX_LENGTH,
        rfc_constants.DOMAIN_MAX_LENGTH,
        rfc_constants.DNS_LABEL_LENGTH_LIMIT,
    )

    def signs(atext: str) -> set[str]:
        return {c for c in map(chr, range(128)) if re.fullmatch(f"[{atext}]", c)}

    assert signs(ATEXT) == signs(rfc_constants.ATEXT)
