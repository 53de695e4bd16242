"""The report's words in German and English; German is the default."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "de": {
        "report": "Zulassungsbericht",
        "generated": "Erstellt am {at}",
        "based_on_run": "Stand nach Lauf {number} ({trigger}, {at}); Zahlen zu Plätzen, "
        "Gruppen, Regionen, Workshops und Stadtführung: Stand bei Erstellung.",
        "no_run": "Es gab noch keinen Zulassungslauf: alle Zahlen sind Stand bei Erstellung.",
        "key_figures": "Auf einen Blick",
        "applications": "Anmeldungen",
        "eligible": "berücksichtigt (bestätigt, fristgerecht)",
        "seats": "Plätze vergeben (von {capacity})",
        "waiting": "auf der Warteliste",
        "statuses": "Anmeldungen nach Stand",
        "status": "Stand",
        "count": "Anzahl",
        "groups": "Plätze nach Gruppe (Rolle) und Reservierung",
        "groups_intro": "Für einige Gruppen sind Plätze reserviert; reservierte Plätze, die "
        "eine Gruppe nicht besetzen kann, gehen an alle anderen.",
        "group": "Gruppe",
        "reserved": "reserviert",
        "applied": "berücksichtigt",
        "seated": "mit Platz",
        "waitlisted": "Warteliste",
        "roles": "Plätze nach Rolle",
        "role": "Rolle",
        "no_role": "ohne Angabe (vor Einführung der Rollen)",
        "regions": "Plätze nach Bundesland",
        "region": "Bundesland",
        "cap": "Obergrenze je Organisation",
        "cap_intro": "Aus einer Organisation (gleicher Name in derselben Kommune) erhalten "
        "höchstens {cap} Personen einen Platz. Diese Anmeldungen warten, weil ihre "
        "Organisation die Obergrenze erreicht hat:",
        "cap_none": "Niemand wartet wegen der Obergrenze.",
        "no_cap": "Es gibt keine Obergrenze je Organisation.",
        "ref": "Kennung",
        "organisation": "Organisation",
        "municipality": "Kommune",
        "seats_held": "Plätze der Organisation",
        "position": "Wartelistenplatz",
        "workshops": "Workshops je Tag",
        "workshop": "Workshop",
        "room": "Raum",
        "capacity": "Kapazität",
        "participants": "Teilnehmende",
        "fill": "Auslastung",
        "choices": "Erfüllte Wünsche",
        "choice": "{n}. Wunsch",
        "optimum": "Zuteilung",
        "greedy": "Vergleich: wer zuerst kommt, wählt zuerst",
        "choices_intro": "Jeder Lauf teilt den neu Zugelassenen die Workshops so zu, dass "
        "die Summe ihrer Wunschränge am kleinsten ist; wer schon einen Workshop hat, behält "
        "ihn, und Nachrückende erhalten die frei gewordenen Plätze. Zum Vergleich: dieselben "
        "Personen wählen in der Reihenfolge ihrer Anmeldung nacheinander den besten freien "
        "Workshop.",
        "share": "Anteil",
        "tour": "Stadtführung",
        "places": "Plätze",
        "tour_waiting": "Auf der Warteliste der Führung",
        "waitlist": "Warteliste",
        "waitlist_empty": "Die Warteliste ist leer.",
        "changes": "Was sich mit Lauf {number} geändert hat",
        "changes_since": "Gegenüber Lauf {number} vom {at}:",
        "first_run": "Dies war der erste Lauf.",
        "no_changes": "Keine Änderungen.",
        "change": "Änderung",
        "changes_list": "Alle Änderungen nach Kennung",
        "changes_truncated": "Der Laufbericht enthält nur die ersten {n} Änderungen; gezählt "
        "sind alle.",
        "before": "vorher",
        "after": "nachher",
        "runs": "Alle Läufe mit Änderungen",
        "runs_quiet": "{n} von {total} Läufen änderten nichts.",
        "changes_count": "Änderungen",
        "lottery": "Losverfahren und Nachprüfbarkeit",
        "order_lottery": "Die Reihenfolge der Plätze bestimmt ein Los.",
        "order_first_come": "Die Reihenfolge bestimmt der Zeitpunkt der Anmeldung; das Los "
        "entscheidet nur bei Gleichstand.",
        "seed": "Startwert (Seed) des Loses",
        "considered_in_run": "Im Lauf berücksichtigt",
        "digest": "Prüfsumme der Eingaben (SHA-256)",
        "run": "Lauf",
        "trigger": "Auslöser",
        "started": "Beginn",
        "how_to_check": "So lässt sich das Los prüfen",
        "check_place": "Der Losplatz jeder Anmeldung ist HMAC-SHA256 mit dem Startwert als "
        "Schlüssel über ihre Kennung, als Hexadezimalzahl; der kleinere Wert kommt zuerst. "
        "Jeder Platz hängt nur vom Startwert und der eigenen Kennung ab, neue oder "
        "zurückgezogene Anmeldungen verschieben niemanden.",
        "check_digest": "Die Prüfsumme fasst alles zusammen, was der Lauf gelesen hat "
        "(Kennung, Gruppe, Anmeldezeit, Organisation, Workshopwünsche, Wunsch Stadtführung, "
        "bisheriger Stand). Mit denselben Eingaben und demselben Startwert kommt die Zuteilung "
        "zu denselben Entscheidungen.",
        "check_limits": "Der Startwert steht seit dem ersten Lauf fest (alle späteren Läufe "
        "verwenden ihn wieder) und ist im Laufbericht gespeichert; das System veröffentlicht "
        "ihn nicht vorab. Der Bericht belegt also, dass sich das Ergebnis nachrechnen lässt, "
        "nicht, dass der Startwert vor Kenntnis der Anmeldungen feststand.",
        "same_status": "{status}, Workshop oder Stadtführung geändert",
        "rank_sum": "Summe der Wunschränge (kleiner ist besser)",
        "chart_table": "Die Zahlen der Grafik",
        "page_title": "Zulassungsbericht – {event}",
    },
    "en": {
        "report": "Admissions report",
        "generated": "Generated on {at}",
        "based_on_run": "After run {number} ({trigger}, {at}); figures on seats, groups, "
        "regions, workshops and the city tour: as they stand at generation.",
        "no_run": "No admissions run yet: all figures are as they stand at generation.",
        "key_figures": "At a glance",
        "applications": "applications",
        "eligible": "considered (confirmed, in time)",
        "seats": "seats given (of {capacity})",
        "waiting": "on the waiting list",
        "statuses": "Applications by status",
        "status": "Status",
        "count": "Count",
        "groups": "Seats by group (role) and reservation",
        "groups_intro": "Some groups have reserved seats; reserved seats a group cannot fill "
        "go to everybody else.",
        "group": "Group",
        "reserved": "reserved",
        "applied": "considered",
        "seated": "seated",
        "waitlisted": "waiting list",
        "roles": "Seats by role",
        "role": "Role",
        "no_role": "not given (before roles were asked)",
        "regions": "Seats by federal state",
        "region": "Federal state",
        "cap": "Cap per organisation",
        "cap_intro": "At most {cap} people from one organisation (same name in the same "
        "municipality) get a seat. These applications wait because their organisation has "
        "reached the cap:",
        "cap_none": "Nobody waits because of the cap.",
        "no_cap": "There is no cap per organisation.",
        "ref": "Ref",
        "organisation": "Organisation",
        "municipality": "Municipality",
        "seats_held": "Seats of the organisation",
        "position": "Waiting list place",
        "workshops": "Workshops per day",
        "workshop": "Workshop",
        "room": "Room",
        "capacity": "Capacity",
        "participants": "Participants",
        "fill": "Fill",
        "choices": "Choices met",
        "choice": "choice {n}",
        "optimum": "Assignment",
        "greedy": "Comparison: first come, first choose",
        "choices_intro": "Each run assigns the newly admitted to workshops so that the sum "
        "of their choice ranks is the smallest possible; whoever has a workshop keeps it, and "
        "people moving up get the places that became free. For comparison: the same people "
        "choose the best workshop left, one after another, in the order they applied.",
        "share": "Share",
        "tour": "City tour",
        "places": "Places",
        "tour_waiting": "On the tour's waiting list",
        "waitlist": "Waiting list",
        "waitlist_empty": "The waiting list is empty.",
        "changes": "What run {number} changed",
        "changes_since": "Compared with run {number} of {at}:",
        "first_run": "This was the first run.",
        "no_changes": "No changes.",
        "change": "Change",
        "changes_list": "Every change by ref",
        "changes_truncated": "The run record holds the first {n} changes only; all are counted.",
        "before": "before",
        "after": "after",
        "runs": "Every run that changed something",
        "runs_quiet": "{n} of {total} runs changed nothing.",
        "changes_count": "Changes",
        "lottery": "The lottery and how to check it",
        "order_lottery": "A lottery decides the order of seats.",
        "order_first_come": "The time of application decides the order; the lottery only "
        "breaks ties.",
        "seed": "Lottery seed",
        "considered_in_run": "Considered in the run",
        "digest": "Digest of the inputs (SHA-256)",
        "run": "Run",
        "trigger": "Trigger",
        "started": "Started",
        "how_to_check": "How to check the lottery",
        "check_place": "Each application's lottery place is HMAC-SHA256 keyed with the seed "
        "over its ref, in hexadecimal; the lower value comes first. A place depends only on "
        "the seed and the application's own ref: new or withdrawn applications move nobody.",
        "check_digest": "The digest sums up everything the run read (ref, group, time of "
        "application, organisation, workshop choices, city tour wish, earlier status). With "
        "the same inputs and the same seed the allocation reaches the same decisions.",
        "check_limits": "The seed is fixed since the first run (every later run reuses it) "
        "and stored in the run record; the system does not publish it beforehand. So the "
        "report shows that the result can be recomputed, not that the seed was fixed before "
        "the applications were known.",
        "same_status": "{status}, workshop or city tour changed",
        "rank_sum": "Sum of choice ranks (lower is better)",
        "chart_table": "The chart's figures",
        "page_title": "Admissions report – {event}",
    },
}

STATUS: dict[str, dict[str, str]] = {
    "de": {
        "new": "noch nicht entschieden",
        "accepted": "zugelassen",
        "offered": "Platz angeboten",
        "waitlisted": "Warteliste",
        "not_admitted": "nicht zugelassen",
        "declined": "abgesagt",
        "cancelled": "storniert",
        "withdrawn": "zurückgezogen",
        "expired": "Angebot verfallen",
        "late": "nach Anmeldeschluss bestätigt",
    },
    "en": {
        "new": "not decided yet",
        "accepted": "accepted",
        "offered": "seat offered",
        "waitlisted": "waiting list",
        "not_admitted": "not admitted",
        "declined": "declined",
        "cancelled": "cancelled",
        "withdrawn": "withdrawn",
        "expired": "offer expired",
        "late": "confirmed after the deadline",
    },
}

TRIGGER: dict[str, dict[str, str]] = {
    "de": {"deadline": "Lauf zur Frist", "daily": "täglicher Lauf", "organiser": "von Hand"},
    "en": {"deadline": "deadline run", "daily": "daily run", "organiser": "by hand"},
}
