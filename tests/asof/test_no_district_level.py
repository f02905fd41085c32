"""From 01-7-2025 there is no cấp huyện: new appointments starting on or after that day cannot
take it (the rule, the service, the forms and the choice lists)."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from models import Appointment, Level, Person, Role, db
from registry.core import reform2025
from registry.core.rules import RuleViolation
from registry.roster import persons
from tests.asof.conftest import DAY, EVE
from tests.factories import count

MESSAGE = "Từ 01/7/2025 không còn cấp huyện; chọn cấp tỉnh hoặc cấp xã."


def test_the_rule():
    assert Level.HUYEN in reform2025.levels_on(EVE)
    assert Level.HUYEN not in reform2025.levels_on(DAY)
    assert "huyen" not in dict(reform2025.level_choices(DAY))
    assert reform2025.level_refusal(Level.HUYEN, DAY) == MESSAGE
    assert reform2025.level_refusal(Level.HUYEN, EVE) is None
    assert reform2025.level_refusal(Level.TINH, DAY) is None
    assert reform2025.level_refusal(Level.HUYEN, None) is None


def test_service_refuses_a_late_district_appointment(ctx, make):
    person = make.person("A Jar", "Xã Đắk La")
    unit = make.unit("Huyện Đắk Hà")
    data = {"role": Role.BCV, "level": Level.HUYEN, "start_date": DAY}
    with pytest.raises(RuleViolation, match="không còn cấp huyện") as exc:
        persons.add_appointment(person, data, unit)
    assert exc.value.field == "level"
    early = persons.add_appointment(person, {**data, "start_date": EVE}, unit)
    with pytest.raises(RuleViolation, match="không còn cấp huyện"):
        persons.update_appointment(early, {**data, "start_date": DAY}, unit)


def test_an_existing_late_district_appointment_stays_editable(ctx, make):
    """The reorganisation restarts cấp huyện appointments on 01-7-2025 for re-recognition."""
    person = make.person("A Báo", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN, start=DAY)
    appt = person.appointments[0]
    persons.update_appointment(appt, {"start_date": DAY, "level": Level.HUYEN,
                                      "decision_no": "5-QĐ"}, appt.unit)
    assert appt.decision_no == "5-QĐ"


def test_appointment_form_refuses_a_late_district_and_offers_it_only_as_history(officer, make):
    person = make.person("A Jar", "Xã Đắk La")
    form = officer.get(f"/persons/{person.id}/appointments/new").get_data(as_text=True)
    # Only as history: the last choice, saying so.
    assert '<option value="huyen">Huyện (chỉ bổ nhiệm trước 01/7/2025)</option>' in form
    assert form.index('value="co_so"') < form.index('value="huyen"')
    before = count(Appointment)
    data = {"role": "BCV", "level": "huyen", "unit_id": make.unit("Huyện Đắk Hà").id,
            "start_date": "01/08/2025"}
    resp = officer.post(f"/persons/{person.id}/appointments/new", data=data)
    assert resp.status_code == 200 and MESSAGE in resp.get_data(as_text=True)
    assert count(Appointment) == before
    resp = officer.post(f"/persons/{person.id}/appointments/new",
                        data={**data, "start_date": "01/02/2025"})
    assert resp.status_code == 302  # back-dated: cấp huyện existed then
    assert count(Appointment) == before + 1


def test_new_person_form_refuses_a_late_district_first_appointment(officer, make):
    data = {"full_name": "Y Lan", "gender": "Nữ", "unit_id": make.unit("Xã Đắk La").id,
            "first_role": "TTV", "first_level": "huyen", "first_start": "02/07/2025"}
    resp = officer.post("/persons/new", data=data)
    assert resp.status_code == 200 and MESSAGE in resp.get_data(as_text=True)
    assert count(Person) == 0
    assert "Huyện (chỉ bổ nhiệm trước 01/7/2025)" in officer.get("/persons/new").get_data(
        as_text=True)


def test_editing_an_old_district_appointment_offers_its_level(officer, make):
    person = make.person("A Báo", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN,
                         start=dt.date(2024, 1, 1))
    appt = db.session.execute(sa.select(Appointment).where(
        Appointment.person_id == person.id)).scalar_one()
    html = officer.get(f"/appointments/{appt.id}/edit").get_data(as_text=True)
    assert 'value="huyen"' in html
