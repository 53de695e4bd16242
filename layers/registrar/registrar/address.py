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
"""

from __future__ import annotations

from typing import Literal

AddressProblem = Literal["syntax", "international_local_part", "domain_form"]


class UndeliverableAddress(ValueError):
    """The address cannot be sent to through SES; ``problem`` says why, for the message."""

    def __init__(self, problem: AddressProblem) -> None:
        super().__init__(f"not an address registrar can send to ({problem})")
        self.problem: AddressProblem = problem


def deliverable_address(address: str) -> str:
    """``address`` as SES is given it (ASCII, punycode domain); raises UndeliverableAddress.

    The message never repeats the address: it may be personal data and ends up in logs.
    """
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
