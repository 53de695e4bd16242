"""The one rule for an email address registrar can send to, used by the form and the mailer.

The form refuses at submission what the mailer could not send later, so that nobody gets a
thank-you page followed by silence. The check is email-validator's syntax check (no DNS
lookups) plus what SES v2 itself cannot do:

- a local part with characters beyond ASCII (``jörg@…``) needs SMTPUTF8, which SES does not
  offer: refused;
- an internationalised domain is sent in its IDNA 2008 ASCII form (punycode), which SES
  accepts in ``Destination`` and in the MIME ``To``: ``info@straße.de`` is sent to
  ``info@xn--strae-oqa.de``, the domain DENIC registers for "straße.de" (IDNA 2003 would
  have turned it into the different domain "strasse.de"): accepted;
- a domain that the IDNA mapping would change beyond letter case (full-width letters or a
  full-width dot typed with an East Asian keyboard) would send to a name the person did not
  type: refused, so that they type it plainly;
- anything email-validator refuses in its strict mode (``x..y@example.org``, more than 64
  characters before the @, quoted local parts, IP-address domains, special-use names like
  ``.local``) is refused.

Most addresses are plain (ASCII letters, digits and the usual signs before the @, ASCII
host names after it): for those the answer is known without email-validator, whose import
compiles its grammar (30–45 ms of the mailer's cold start, which checks every address it
sends to). ``plain_address`` accepts only addresses that email-validator accepts, and gives
what it gives (a test compares the two on generated addresses, and the rules copied here
with email-validator's own); anything else (an international domain, punycode, quoting,
a double hyphen, a special-use name, a length near a limit) goes to email-validator.
"""

from __future__ import annotations

import re
from typing import Final, Literal

AddressProblem = Literal["syntax", "international_local_part", "domain_form"]


class UndeliverableAddress(ValueError):
    """The address cannot be sent to through SES; ``problem`` says why, for the message."""

    def __init__(self, problem: AddressProblem) -> None:
        super().__init__(f"not an address registrar can send to ({problem})")
        self.problem: AddressProblem = problem


# email-validator's rules for an ASCII address (rfc_constants, SPECIAL_USE_DOMAIN_NAMES).
ATEXT: Final = r"a-zA-Z0-9_!#$%&'*+\-/=?^`{|}~"
_DOT_ATOM: Final = re.compile(rf"[{ATEXT}]+(?:\.[{ATEXT}]+)*")
# Lower-case host names of two labels or more, ending in letters (a TLD).
_HOST_NAME: Final = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]+")
EMAIL_MAX_LENGTH: Final = 254
LOCAL_PART_MAX_LENGTH: Final = 64
DOMAIN_MAX_LENGTH: Final = 253
LABEL_MAX_LENGTH: Final = 63
SPECIAL_USE_DOMAIN_NAMES: Final = ("arpa", "invalid", "local", "localhost", "onion", "test")
CASE_INSENSITIVE_MAILBOX_NAMES: Final = frozenset(
    {"info", "marketing", "sales", "support", "abuse", "noc", "security", "postmaster"}
    | {"hostmaster", "usenet", "news", "webmaster", "www", "uucp", "ftp"}
)


def plain_address(address: str) -> str | None:
    """A plain ``address`` as email-validator would give it to SES; None for any other.

    None says nothing about the address: it is for email-validator to judge.
    """
    if not address.isascii() or len(address) > EMAIL_MAX_LENGTH:
        return None
    local, at, domain = address.partition("@")
    domain = domain.lower()  # what IDNA's mapping does to an ASCII host name
    if (
        not at
        or len(local) > LOCAL_PART_MAX_LENGTH
        or len(domain) > DOMAIN_MAX_LENGTH
        or not _DOT_ATOM.fullmatch(local)
        or not _HOST_NAME.fullmatch(domain)
        or "--" in domain  # punycode ("xn--"), and labels IDNA refuses
        or any(len(label) > LABEL_MAX_LENGTH for label in domain.split("."))
        or domain.rpartition(".")[2] in SPECIAL_USE_DOMAIN_NAMES
    ):
        return None
    if local.lower() in CASE_INSENSITIVE_MAILBOX_NAMES:  # RFC 2142: Info@ is info@
        local = local.lower()
    return f"{local}@{domain}"


def deliverable_address(address: str) -> str:
    """``address`` as SES is given it (ASCII, punycode domain); raises UndeliverableAddress.

    The message never repeats the address: it may be personal data and ends up in logs.
    """
    return plain_address(address) or validated_address(address)


def validated_address(address: str) -> str:
    """``deliverable_address`` by email-validator, for any address."""
    # Imported at the first check: email-validator compiles its grammar on import (tens of
    # milliseconds), which a cold start that only shows the form should not pay.
    from email_validator import EmailNotValidError, validate_email

    local, at, domain = address.rpartition("@")
    if at and not local.isascii():
        raise UndeliverableAddress("international_local_part")
    try:
        checked = validate_email(
            address,
            allow_smtputf8=False,
            allow_quoted_local=False,
            allow_domain_literal=False,
            allow_display_name=False,
            strict=True,  # RFC 5321's 64 octets before the @, which mail servers enforce
            check_deliverability=False,
        )
    except EmailNotValidError:
        raise UndeliverableAddress("syntax") from None
    if domain.lower() not in {checked.domain, checked.ascii_domain}:
        raise UndeliverableAddress("domain_form")
    ascii_address = checked.ascii_email
    if ascii_address is None:  # only with SMTPUTF8, which is not allowed above
        raise UndeliverableAddress("international_local_part")
    return ascii_address
