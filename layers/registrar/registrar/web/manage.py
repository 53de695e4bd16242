"""The pages behind the links in an applicant's emails: confirming the address, and the
manage page with the changes the applicant may make.

They get what they use (the conference, the registration service, one ``verify`` for every
link's token, the clock), never the whole runtime. A page is shown in the language asked for
(``?lang=`` or the form's hidden field); the language stored with the application, which
every email uses, never changes here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple
from urllib.parse import urlencode

from registrar.application import PREFERENCES_OPEN, Actor, Application, Status, can_transition
from registrar.i18n import language as i18n_language
from registrar.i18n import translate
from registrar.services.substitution import NominationReplaced, may_name_substitute
from registrar.submission import FieldError, InvalidSubmission, read_days, read_preferences
from registrar.web.pages import (
    render_confirm,
    render_manage,
    render_message,
    render_substitute_offer,
)

if TYPE_CHECKING:
    from registrar.clock import Clock
    from registrar.conference import Conference
    from registrar.services.registration import RegistrationService
    from registrar.services.substitution import SubstitutionService
    from registrar.tokens import Purpose, TokenClaims

ManageAction = Literal["decline", "withdraw", "accept_offer", "update_preferences", "substitute"]
# The status each action moves to, in the order the page offers them.
_MOVES: dict[ManageAction, Status] = {
    "accept_offer": "accepted",
    "substitute": "substituted",  # once the colleague confirms (services.substitution)
    "decline": "declined",
    "withdraw": "withdrawn",
}
_DONE_NOTICES: dict[ManageAction, str] = {
    "update_preferences": "ui.preferences_saved",
    "decline": "ui.declined_text",
    "withdraw": "ui.withdrawn_text",
    "accept_offer": "ui.accepted_offer_text",
    "substitute": "ui.substitute_named",
}


class ManagePage(NamedTuple):
    body: str
    status: int = 200


def allowed_actions(application: Application, *, registration_open: bool) -> list[ManageAction]:
    """What the state table lets the applicant do now; preferences while registration is
    open. (Naming a substitute also has a time limit, which the page checks.)"""
    status = application.status
    actions: list[ManageAction] = []
    if registration_open and status in PREFERENCES_OPEN:
        actions.append("update_preferences")
    actions += [
        a for a, target in _MOVES.items() if can_transition(status, target, Actor.APPLICANT)
    ]
    return actions


class ApplicantPages(NamedTuple):
    """``verify(token, purpose)``: the claims of a link's token, or ``InvalidToken``. The
    registration service opens with them only the application the link was sent for."""

    conference: Conference
    registration: RegistrationService
    verify: Callable[[str, Purpose], TokenClaims]
    clock: Clock
    substitution: SubstitutionService

    def confirm_page(self, token: str, lang: str | None) -> str:
        """What a confirmation link opens (a GET, which changes nothing): a page with one
        button that confirms; once confirmed, the page saying so."""
        application = self.registration.get(self.verify(token, "confirm"))
        language = self._language(lang, application)
        if application.confirmed:
            return self._confirmed(application, token, language)
        late = self.clock.now() > self.conference.deadline
        return render_confirm(self.conference, language, token, late=late)

    def confirm(self, token: str, lang: str | None) -> str:
        """Confirm the address a confirmation link was sent to (the page's POST); the page
        saying so."""
        application = self.registration.confirm(self.verify(token, "confirm"))
        return self._confirmed(application, token, self._language(lang, application))

    def _confirmed(self, application: Application, token: str, language: str) -> str:
        """Confirmed; a late confirmation says what that means for the application."""
        conference = self.conference
        if application.was_late:
            deadline = i18n_language(language).datetime(conference.deadline, conference.zone)
            title = translate(language, "ui.confirmed_late_title")
            text = translate(language, "ui.confirmed_late_text", deadline=deadline)
        else:
            title = translate(language, "ui.confirmed_title")
            text = translate(language, "ui.confirmed_text")
        return render_message(
            conference,
            language,
            title,
            [text],
            reference=application.public_id,
            path="/confirm",
            query=urlencode({"token": token}),
        )

    def manage_page(self, token: str, lang: str | None) -> str:
        """The page for a manage link, in the language asked for or else the applicant's."""
        application = self.registration.get(self.verify(token, "manage"))
        return self._render(application, token, self._language(lang, application))

    def perform(
        self,
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
        key = self.verify(token, "manage")
        registration = self.registration
        if action in {"decline", "withdraw"} and not confirmed:
            # The confirmation box was not ticked: the page again, saying so; nothing changed.
            application = registration.get(key)
            language = self._language(lang, application)
            return ManagePage(self._render(application, token, language, unconfirmed=action), 422)
        if action == "update_preferences":
            preferences = read_preferences(form, self.conference)
            # No answer to "which days" leaves them as they are (the page always sends one).
            days, days_error = (
                read_days(form, self.conference) if form.get("days") else (None, None)
            )
            try:
                if days_error is not None:
                    raise InvalidSubmission([days_error])
                application = registration.update_preferences(
                    key, preferences.rankings, preferences.extras_wanted, days
                )
            except InvalidSubmission as refused:
                application = registration.get(key)
                language = self._language(lang, application)
                page = self._render(
                    application, token, language, values=form, errors=refused.errors
                )
                return ManagePage(page, 422)
        elif action == "substitute":
            try:
                application = self.substitution.nominate(key, form, lang)
            except InvalidSubmission as refused:
                application = registration.get(key)
                language = self._language(lang, application)
                page = self._render(
                    application, token, language, values=form, errors=refused.errors
                )
                return ManagePage(page, 422)
        elif action == "decline":
            application = registration.decline(key)
        elif action == "withdraw":
            application = registration.withdraw(key)
        else:
            application = registration.accept_offer(key)
        language = self._language(lang, application)
        named = application.substitute
        notice = translate(
            language,
            _DONE_NOTICES[action],
            name=f"{named.given_name} {named.family_name}" if named else "",
        )
        return ManagePage(self._render(application, token, language, notice=notice))

    def substitute_page(self, token: str, lang: str | None) -> str:
        """What a substitute's link opens (a GET, which changes nothing): the seat offered,
        and one button that takes it over; once taken over, the page saying so."""
        claims = self.verify(token, "substitute")
        try:
            offer = self.substitution.offer(claims)
        except NominationReplaced:
            colleague = self.substitution.taken_over(claims)
            if colleague is None:
                raise
            return self._taken_over(colleague, token, lang)
        language = self.conference.language_or_default(lang or offer.nomination.language)
        return render_substitute_offer(self.conference, language, token, offer.original)

    def take_over(self, token: str, lang: str | None, *, consent: bool) -> ManagePage:
        """The colleague takes over the seat (the page's POST); the page saying so."""
        claims = self.verify(token, "substitute")
        try:
            colleague = self.substitution.take_over(claims, consent=consent)
        except NominationReplaced:
            # Pressed twice (or sent again): the seat is theirs already, which is what they
            # asked for; any other replaced link is refused.
            taken = self.substitution.taken_over(claims)
            if taken is None:
                raise
            return ManagePage(self._taken_over(taken, token, lang))
        except InvalidSubmission:
            offer = self.substitution.offer(claims)
            language = self.conference.language_or_default(lang or offer.nomination.language)
            page = render_substitute_offer(
                self.conference, language, token, offer.original, consent_missing=True
            )
            return ManagePage(page, 422)
        return ManagePage(self._taken_over(colleague, token, lang))

    def _taken_over(self, colleague: Application, token: str, lang: str | None) -> str:
        language = self.conference.language_or_default(lang or colleague.language)
        return render_message(
            self.conference,
            language,
            translate(language, "ui.substitute_done_title"),
            [translate(language, "ui.substitute_done_text")],
            reference=colleague.public_id,
            path="/substitute",
            query=urlencode({"token": token}),
        )

    def _language(self, lang: str | None, application: Application) -> str:
        return self.conference.language_or_default(lang or application.language)

    def _render(
        self,
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
        now = self.clock.now()
        registration_open = self.conference.registration_state(now) == "open"
        actions = allowed_actions(application, registration_open=registration_open)
        substitute_until = (
            self.conference.substitutes_until
            if "substitute" in actions and may_name_substitute(application, self.conference, now)
            else None
        )
        return render_manage(
            self.conference,
            application,
            language,
            token,
            actions=actions,
            notice=notice,
            unconfirmed=unconfirmed,
            values=values,
            errors=errors,
            substitute_until=substitute_until,
            waitlist_open=self.conference.waitlist_open_at(now),
        )
