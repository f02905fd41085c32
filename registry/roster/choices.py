"""Fill select choices from reference data and the actor's writable units."""
from __future__ import annotations

from registry import refdata
from registry.units.service import writable_unit_choices


def fill_person(form) -> None:
    form.ethnicity.choices = [(n, n) for _c, n in refdata.choices("ethnicity")]
    form.religion.choices = [(n, n) for _c, n in refdata.choices("religion")]
    form.political_theory.choices = refdata.choices("political_theory")
    form.state_management.choices = refdata.choices("state_management")
    form.unit_id.choices = writable_unit_choices()


def fill_appointment(form) -> None:
    form.unit_id.choices = writable_unit_choices()
