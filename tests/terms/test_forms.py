"""The appointment form reads the term's years, refuses a term without them in Vietnamese, and
leaves a term stored as written (an old import) alone when another field is edited."""
from __future__ import annotations

import sqlalchemy as sa

from models import Appointment, db
from tests.terms.helpers import with_term


def _form(make, **extra) -> dict:
    return {"role": "TTV", "level": "co_so", "unit_id": str(make.unit("Xã Đắk La").id),
            "start_date": "01/03/2021", **extra}


def _count() -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(Appointment)).scalar()


def test_a_new_appointment_stores_the_terms_years(make, officer):
    person = make.person("Y Một", "Xã Đắk La")
    resp = officer.post(f"/persons/{person.id}/appointments/new",
                        data=_form(make, term="Nhiệm kỳ 2020 – 2025"))
    assert resp.status_code == 302
    db.session.expire_all()
    new = max(person.appointments, key=lambda a: a.id)
    assert (new.term, new.term_start, new.term_end) == ("Nhiệm kỳ 2020 – 2025", 2020, 2025)


def test_a_term_without_years_is_a_form_error_and_nothing_is_saved(make, officer):
    person = make.person("Y Một", "Xã Đắk La")
    before = _count()
    html = officer.post(f"/persons/{person.id}/appointments/new",
                        data=_form(make, term="2025-2020")).get_data(as_text=True)
    assert "Nhiệm kỳ «2025-2020» không đúng dạng; ghi như 2020-2025." in html
    assert _count() == before


def test_editing_fixes_the_years_with_the_term(make, officer):
    appt = with_term(make, "Y Một", "Xã Đắk La").appointments[0]
    resp = officer.post(f"/appointments/{appt.id}/edit", data=_form(make, term="2025-2030"))
    assert resp.status_code == 302
    db.session.expire_all()
    assert (appt.term_start, appt.term_end) == (2025, 2030)


def test_a_term_kept_as_written_may_stay_when_editing_another_field(make, officer):
    appt = with_term(make, "Y Một", "Xã Đắk La", "Khóa XII").appointments[0]
    resp = officer.post(f"/appointments/{appt.id}/edit",
                        data=_form(make, term="Khóa XII", decision_no="7-QĐ/HU"))
    assert resp.status_code == 302
    db.session.expire_all()
    assert (appt.term, appt.term_end, appt.decision_no) == ("Khóa XII", None, "7-QĐ/HU")
    html = officer.post(f"/appointments/{appt.id}/edit",
                        data=_form(make, term="Khóa XIII")).get_data(as_text=True)
    assert "Nhiệm kỳ «Khóa XIII» không đúng dạng" in html
