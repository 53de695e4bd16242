"""Organisers merge two organisation names into one for the per-organisation cap.

Folding (``registrar.organisations``) already makes "Stadtverwaltung Musterstadt" and
"Stadt Musterstadt" one organisation; what it cannot see ("KV Musterkreis" for
"Kreisverwaltung Musterkreis") an organiser merges, with a reason. The merge is stored
per event beside its runs, read by every later admission run, and kept with its reason,
time and the names as typed, so a run's cap can be explained afterwards.

Names are looked up as the applications give them: a name matches the applications whose
organisation (in their municipality) folds to the same key. A name that matches none is
refused: a typo would otherwise merge nothing, silently.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from registrar.application import Application
from registrar.clock import Clock
from registrar.conference import Conference
from registrar.errors import DomainError
from registrar.organisations import MergeRefused, OrganisationAliases, organisation_key
from registrar.services.organiser import ReasonRequired
from registrar.store.interfaces import ApplicationRepository, RunRepository


class OrganisationNotFound(DomainError):
    code = "organisation_not_found"

    def __init__(self, name: str) -> None:
        super().__init__(f"No application names the organisation {name!r} at this event.")


class OrganisationsAlreadyOne(DomainError):
    code = "organisations_already_one"


class AmbiguousOrganisation(DomainError):
    code = "organisation_ambiguous"

    def __init__(self, name: str, count: int) -> None:
        super().__init__(
            f"{name!r} names {count} different organisations (a town's administration "
            "from the town, another body elsewhere): merge into a fuller name, e.g. "
            "'Stadt …' or 'Landkreis …'."
        )


@dataclass(frozen=True, slots=True)
class MergePlan:
    """What a merge would do: the keys that move, the key they join, who is affected."""

    merged: str
    into: str
    keys: frozenset[str]
    target: str
    moving: int  # applications counted under the target from now on
    joined: int  # applications already counted under the target


class OrganisationMerges:
    def __init__(
        self,
        conference: Conference,
        applications: ApplicationRepository,
        runs: RunRepository,
        clock: Clock,
    ) -> None:
        self._conference = conference
        self._applications = applications
        self._runs = runs
        self._clock = clock

    def current(self) -> OrganisationAliases:
        return self._runs.organisation_aliases(self._conference.id)

    def plan(self, merged: str, into: str, aliases: OrganisationAliases | None = None) -> MergePlan:
        """What merging ``merged`` into ``into`` would do; refused if nothing would change."""
        aliases = self.current() if aliases is None else aliases
        present = [a for a in self._applications.list(self._conference.id) if not a.erased]
        sources = _keys_named(merged, present)
        targets = _keys_named(into, present)
        if not sources:
            raise OrganisationNotFound(merged)
        if not targets:
            raise OrganisationNotFound(into)
        if len({aliases.resolve(key) for key in targets}) > 1:
            raise AmbiguousOrganisation(into, len(targets))
        target = aliases.resolve(next(iter(targets)))
        keys = frozenset(key for key in sources if aliases.resolve(key) != target)
        if not keys:
            raise OrganisationsAlreadyOne(
                f"{merged!r} and {into!r} already count as one organisation."
            )
        counted = Counter(aliases.resolve(_key_of(a)) for a in present)
        moving = sum(counted[aliases.resolve(key)] for key in {aliases.resolve(k) for k in keys})
        return MergePlan(merged, into, keys, target, moving, counted[target])

    def merge(self, merged: str, into: str, reason: str) -> MergePlan:
        """Merge, recorded with ``reason``; a merge by someone else meanwhile is not lost
        (the write is conditional on what was read: ConcurrentUpdate, try again)."""
        reason = " ".join(reason.split())
        if not reason:
            raise ReasonRequired
        before = self.current()
        plan = self.plan(merged, into, before)
        try:
            after = before.merged(
                merged, into, set(plan.keys), plan.target, reason, self._clock.now()
            )
        except MergeRefused as refused:
            raise OrganisationsAlreadyOne(str(refused)) from refused
        expires_at = self._conference.retention_until()
        self._runs.save_organisation_aliases(self._conference.id, after, before, expires_at)
        return plan


def _key_of(application: Application) -> str:
    return organisation_key(application.organisation, application.municipality)


def _keys_named(name: str, applications: list[Application]) -> set[str]:
    """The keys of the applications whose organisation ``name`` names."""
    return {
        key
        for application in applications
        if (key := _key_of(application)) and key == organisation_key(name, application.municipality)
    }
