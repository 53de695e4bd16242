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


def manage_page(rt: Runtime, token: str, lang: str | None) -> str:
    """The page for a manage link, in the language asked for or else the applicant's."""
    application = rt.registration.get(_verify(rt, token))
    return _render(rt, application, token, _language(rt, lang, application))


def _language(rt: Runtime, lang: str | None, application: Application) -> str:
    return rt.conference.language_or_default(lang or application.language)


def _render(
    rt: Runtime,
    application: Application,
    token: str,
    language: str,
    *,
    notice: str | None = None,
    unconfirmed: ManageAction | None = None,
    values: Mapping[str, Any] | None = None,
    errors: Sequence[FieldError] = (),
) -> str:
    """``unconfirmed``: that action was sent without its confirmation tick (nothing changed).

    ``values`` and ``errors``: a preferences change that was refused, shown as entered.
    """
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


_DONE_NOTICES: dict[ManageAction, str] = {
    "update_preferences": "ui.preferences_saved",
    "decline": "ui.declined_text",
    "withdraw": "ui.withdrawn_text",
    "accept_offer": "ui.accepted_offer_text",
}


def perform(
    rt: Runtime,
    token: str,
    action: ManageAction,
    lang: str,
    *,
    confirmed: bool,
    form: Mapping[str, Any],
) -> ManagePage:
    """Carry out one action from the page; ``form``: the posted fields (for preferences).

    The application is read once: the page shows what the change returned.
    """
    key = _verify(rt, token)
    registration = rt.registration
    if action in {"decline", "withdraw"} and not confirmed:
        # The confirmation box was not ticked: the page again, saying so; nothing changed.
        application = registration.get(key)
        page = _render(rt, application, token, _language(rt, lang, application), unconfirmed=action)
        return ManagePage(page, 422)
    if action == "update_preferences":
        preferences = read_preferences(form, rt.conference)
        try:
            application = registration.update_preferences(
                key, preferences.rankings, preferences.extras_wanted
            )
        except InvalidSubmission as refused:
            application = registration.get(key)
            language = _language(rt, lang, application)
            page = _render(rt, application, token, language, values=form, errors=refused.errors)
            return ManagePage(page, 422)
    elif action == "decline":
        application = registration.decline(key)
    elif action == "withdraw":
        application = registration.withdraw(key)
    else:
        application = registration.accept_offer(key)
    language = _language(rt, lang, application)
    notice = translate(language, _DONE_NOTICES[action])
    return ManagePage(_render(rt, application, token, language, notice=notice))
