"""Domain failures, each its own class; each API maps them to HTTP in one place."""

from __future__ import annotations


class DomainError(Exception):
    """Base of failures a person can be told about; ``code`` selects the translated text."""

    code = "invalid"


class RegistrationNotOpen(DomainError):
    code = "registration_not_open"


class RegistrationClosed(DomainError):
    code = "registration_closed"


class ApplicationNotFound(DomainError):
    code = "not_found"


class TransitionNotAllowed(DomainError):
    """The requested change does not apply to the application's current state."""

    code = "not_allowed"


class RunInProgress(DomainError):
    """An admission run holds the event's lock: another run, or a programme mailing, waits."""

    code = "run_in_progress"

    def __init__(self) -> None:
        super().__init__("An admissions run is in progress; try again in a few minutes.")
