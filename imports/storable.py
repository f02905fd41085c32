"""How many characters the database stores for each import field, read from the model columns:
a migration that widens a column widens the import's check with it.

PostgreSQL refuses a longer value outright (SQLite stores it), which would fail a whole commit;
validate.py turns it into one invalid row instead."""
from __future__ import annotations

import functools

# Person columns that the commit fills from the import field of the same name (political_theory
# is looked up in a list, never stored as written).
_PERSON_FIELDS = ("ethnicity", "position", "cccd", "religion", "education", "professional", "phone",
                  "email", "workplace", "notes")


@functools.cache
def max_lengths() -> dict[str, int]:
    """Field key -> most characters its value may have; fields stored without a limit are left out."""
    limits = {}
    for key, columns in _columns().items():
        lengths = [getattr(c.type, "length", None) for c in columns]
        if None not in lengths:
            limits[key] = min(lengths)
    return limits


def _columns() -> dict[str, tuple]:
    # Imported here, on the first parse: the reading stages are importable without Flask.
    from models import Appointment, Person

    person, appointment = Person.__table__.c, Appointment.__table__.c
    return {
        # The name fills its search keys too, which case folding can lengthen (ß -> ss); its
        # sort key takes at most three digits a letter and has room for that.
        "full_name": (person.full_name, person.search_key, person.name_folded),
        **{key: (person[key],) for key in _PERSON_FIELDS},
        "decision_no": (appointment.decision_no,),
    }


def stored_length(key: str, text: str) -> int:
    """The longest form of `text` the database keeps for `key`."""
    if key == "full_name":
        return max(len(text), len(text.casefold()))
    return len(text)
