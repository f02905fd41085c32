"""The "hết nhiệm kỳ" rule: an active appointment whose term ended in an earlier year; the
years come from the term as written, whoever writes it."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from models import Appointment, EndReason, db
from registry.terms.rules import has_ended_term, term_ended, term_ended_clause
from tests.terms.helpers import TODAY, appointment, with_term


def test_the_model_reads_the_years_from_the_term_as_written(make):
    appt = appointment(with_term(make, "A Một", "Xã Đắk La", "NK 2020 – 2025"))
    assert (appt.term, appt.term_start, appt.term_end) == ("NK 2020 – 2025", 2020, 2025)
    appt.term = "Khóa XII"
    db.session.commit()
    db.session.expire_all()
    assert (appt.term, appt.term_start, appt.term_end) == ("Khóa XII", None, None)


@pytest.mark.parametrize(("term", "day", "ended"), [
    ("2020-2025", TODAY, True),
    ("2020-2025", dt.date(2025, 12, 31), False),   # the end year itself is not past
    ("2025-2030", TODAY, False),
    ("Khóa XII", TODAY, False),                     # no years: never flagged
    (None, TODAY, False),
])
def test_term_ended(make, term, day, ended):
    appt = appointment(with_term(make, "A Một", "Xã Đắk La", term))
    assert term_ended(appt, day) is ended


def test_an_ended_appointment_is_not_flagged(make):
    appt = appointment(with_term(make, "A Một", "Xã Đắk La"))
    appt.end_date, appt.end_reason = dt.date(2026, 1, 31), EndReason.NGHI_HUU
    db.session.commit()
    assert not term_ended(appt, TODAY)
    assert not has_ended_term(appt.person, TODAY)


def test_the_sql_clause_selects_what_the_rule_flags(make):
    terms = ["2020-2025", "2025-2030", "2015-2020", "x", None, "2019-2024"]
    people = [with_term(make, f"A {i}", "Xã Đắk La", term) for i, term in enumerate(terms)]
    ended = appointment(people[5])
    ended.end_date, ended.end_reason = dt.date(2026, 1, 1), EndReason.NGHI_HUU
    db.session.commit()
    flagged = set(db.session.execute(
        sa.select(Appointment.id).where(term_ended_clause(TODAY))).scalars())
    expected = {a.id for p in people for a in p.appointments if term_ended(a, TODAY)}
    assert flagged == expected and len(flagged) == 2
