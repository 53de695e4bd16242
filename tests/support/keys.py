"""The applicant key of an address on the stack under test (its own applicant-key secret)."""

from __future__ import annotations


def applicant_key(event_id: str, email: str) -> str:
    """The key the running stack's functions store an address under."""
    from registrar import runtime

    return runtime.current().applicant_keys.of(event_id, email)
