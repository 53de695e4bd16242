"""The manage page: an applicant's view of their application and the changes they may make.

The page is shown in the language asked for (``?lang=`` or the form's hidden field); the
language stored with the application, which every email uses, never changes here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from registrar.application import Application
from registrar.i18n import translate
from registrar.submission import FieldError, InvalidSubmission, read_preferences
from registrar.web.pages import render_manage

if TYPE_CHECKING:
    from registrar.runtime import Runtime

ManageAction = Literal["decline", "withdraw", "accept_offer", "update_preferences"]


@dataclass(frozen=True, slots=True)
class ManagePage:
    body: str
    status: int = 200


def allowed_actions(application: Application, *, registration_open: bool) -> list[ManageAction]:
    if application.status == "offered":
        return ["accept_offer", "decline"]
    if application.status == "accepted":
        return ["decline"]
    if application.status in {"new", "waitlisted"}:
        return ["update_preferences", "withdraw"] if registration_open else ["withdraw"]
    return []


def _verify(rt: Runtime, token: str) -> str:
    claims = rt.signer().verify(
        token, purpose="manage", event_id=rt.conference.id, now=rt.clock.now()
    )
    return claims.applicant_key


def manage_page(
    rt: Runtime,
    token: str,
    lang: str | None,
    notice: str | None = None,
    *,
    unconfirmed: ManageAction | None = None,
    values: Mapping[str, Any] | None = None,
    errors: Sequence[FieldError] = (),
) -> str:
    """``unconfirmed``: that action was sent without its confirmation tick (nothing changed).

    ``values`` and ``errors``: a preferences change that was refused, shown as entered.
    """
    application = rt.registration.get(_verify(rt, token))
    language = rt.conference.language_or_default(lang or application.language)
    registration_open = rt.conference.registration_state(rt.clock.now()) == "open"
    return render_manage(
        rt.conference,
        application,
        language,
        token,
        actions=allowed_actions(application, registration_open=registration_open),
        notice=notice,
        unconfirmed=unconfirmed,
        values=values,
        errors=errors,
    )


def perform(
    rt: Runtime,
    token: str,
    action: ManageAction,
    lang: str,
    *,
    confirmed: bool,
    form: Mapping[str, Any],
) -> ManagePage:
    """Carry out one action from the page; ``form``: the posted fields (for preferences)."""
    key = _verify(rt, token)
    application = rt.registration.get(key)
    language = rt.conference.language_or_default(lang or application.language)
    if action in {"decline", "withdraw"} and not confirmed:
        # The confirmation box was not ticked: the page again, saying so; nothing changed.
        return ManagePage(manage_page(rt, token, language, unconfirmed=action), 422)
    if action == "update_preferences":
        preferences = read_preferences(form, rt.conference)
        try:
            rt.registration.update_preferences(key, preferences.rankings, preferences.extras_wanted)
        except InvalidSubmission as refused:
            page = manage_page(rt, token, language, values=form, errors=refused.errors)
            return ManagePage(page, 422)
        notice = translate(language, "ui.preferences_saved")
    elif action == "decline":
        rt.registration.decline(key)
        notice = translate(language, "ui.declined_text")
    elif action == "withdraw":
        rt.registration.withdraw(key)
        notice = translate(language, "ui.withdrawn_text")
    else:
        rt.registration.accept_offer(key)
        notice = translate(language, "ui.accepted_offer_text")
    return ManagePage(manage_page(rt, token, language, notice))
