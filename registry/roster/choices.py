"""Fill select choices from reference data and the actor's writable units."""
from __future__ import annotations

import datetime as dt

from models import Level
from registry import refdata
from registry.core import reform2025
from registry.units.service import writable_unit_choices


def fill_person(form) -> None:
    form.ethnicity.choices = [(n, n) for _c, n in refdata.choices("ethnicity")]
    form.religion.choices = [(n, n) for _c, n in refdata.choices("religion")]
    form.political_theory.choices = refdata.choices("political_theory")
    form.state_management.choices = refdata.choices("state_management")
    form.unit_id.choices = writable_unit_choices()
    if hasattr(form, "first_level"):
        form.first_level.choices = level_choices(form)


def fill_appointment(form, day: dt.date | None = None, keep: Level | None = None) -> None:
    """`day`: the start date the form shows first (today for a new appointment); `keep`: the
    level the appointment already has, offered whatever the day."""
    form.unit_id.choices = writable_unit_choices()
    form.level.choices = level_choices(form, day)
    if keep is not None and keep.value not in dict(form.level.choices):
        form.level.choices = Level.choices()


def level_choices(form, day: dt.date | None = None) -> list[tuple[str, str]]:
    """The levels offered for an appointment starting on `day` (no cấp huyện from 01-7-2025).
    A submitted form keeps every level so that a back-dated cấp huyện passes, and the service
    refuses a late one with its reason (reform2025.level_refusal) instead of a bare "invalid"."""
    if form.is_submitted():
        return Level.choices()
    choices = reform2025.level_choices(day or dt.date.today())
    if len(choices) < len(Level):
        # Offered last and labelled as history only: an officer recording a 2023 appointment
        # still needs it; a start from 01-7-2025 at that level is refused with the reason.
        choices.append((Level.HUYEN.value, reform2025.HISTORIC_DISTRICT_LABEL))
    return choices
