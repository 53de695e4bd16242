"""The manage page: an applicant's view of their application and the changes they may make."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from registrar.application import Application
from registrar.i18n import translate
from registrar.web.pages import render_manage

if TYPE_CHECKING:
    from registrar.runtime import Runtime

ManageAction = Literal["decline", "withdraw", "accept_offer"]


def allowed_actions(application: Application) -> list[ManageAction]:
    if application.status == "offered":
        return ["accept_offer", "decline"]
    if application.status == "accepted":
        return ["decline"]
    if application.status in {"new", "waitlisted"}:
        return ["withdraw"]
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
) -> str:
    """``unconfirmed``: that action was sent without its confirmation tick (nothing changed)."""
    application = rt.registration.get(_verify(rt, token))
    language = rt.conference.language_or_default(lang or application.language)
    return render_manage(
        rt.conference,
        application,
        language,
        token,
        actions=allowed_actions(application),
        notice=notice,
        unconfirmed=unconfirmed,
    )


def perform(rt: Runtime, token: str, action: ManageAction, lang: str, *, confirmed: bool) -> str:
    key = _verify(rt, token)
    application = rt.registration.get(key)
    language = rt.conference.language_or_default(lang or application.language)
    if action in {"decline", "withdraw"} and not confirmed:
        # The confirmation box was not ticked: the page again, saying so; nothing changed.
        return manage_page(rt, token, language, unconfirmed=action)
    if action == "decline":
        rt.registration.decline(key)
        notice = translate(language, "ui.declined_text")
    elif action == "withdraw":
        rt.registration.withdraw(key)
        notice = translate(language, "ui.withdrawn_text")
    else:
        rt.registration.accept_offer(key)
        notice = translate(language, "ui.accepted_offer_text")
    return manage_page(rt, token, language, notice)
