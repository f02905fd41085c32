"""Small frictions of the forms (issue 15 §6): required fields marked, the discipline forms
grouped by system, the merge form's checkboxes, the import menu's target, the decision that
ends an appointment."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import sqlalchemy as sa

from models import Appointment, DisciplineSystem, Role, UserRole, db

CSS = Path(__file__).resolve().parents[2] / "static" / "app.css"


def test_required_fields_carry_an_asterisk_and_a_legend(officer, make):
    person = make.person("A Jar", "Xã Đắk Hring")
    html = officer.get("/persons/new").get_data(as_text=True)
    assert '<p class="muted required-legend"><span class="req" aria-hidden="true">*</span> ' \
           'bắt buộc</p>' in html
    assert re.search(r'<label for="full_name">Họ và tên <span class="req"', html)
    assert re.search(r'<label for="phone">[^<]*</label>', html)  # optional: no asterisk
    # A custom "choose one" validator (registry.core.fields.required) marks its field too.
    html = officer.get(f"/persons/{person.id}/disciplines/new").get_data(as_text=True)
    assert re.search(r'<label for="system">Hệ thống <span class="req"', html)


def test_discipline_forms_are_grouped_by_system(officer, make):
    person = make.person("A Jar", "Xã Đắk Hring")
    item = make.discipline(person, "khien_trach", system=DisciplineSystem.CHINH_QUYEN)
    html = officer.get(f"/disciplines/{item.id}/edit").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="form".*?</select>', html, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]+)" data-group="(\w+)">(.*?)</optgroup>', select)
    assert [key for _label, key, _ in groups] == ["dang", "chinh_quyen", "bcv_ttv"]
    # Khiển trách is in two systems: selected once, in the system of the record.
    assert select.count(" selected") == 1
    assert ' selected' in dict((key, body) for _l, key, body in groups)["chinh_quyen"]
    assert "js/discipline-form.js" in html and "<script>" not in html


def test_merge_offers_checkboxes_not_a_list_box(client, login, make):
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    login("admin")
    html = client.get("/units/merge").get_data(as_text=True)
    assert 'class="unit-checks"' in html and 'type="checkbox" name="units"' in html
    assert "multiple" not in re.search(r'<div[^>]*id="units".*?</div>', html, re.S).group(0)
    assert "js/unit-picker.js" in html


def test_import_menu_opens_the_upload_form_and_history_is_one_click_further(officer):
    home = officer.get("/").get_data(as_text=True)
    assert re.search(r'<a [^>]*href="/imports/upload"[^>]*>\s*Nhập Excel\s*</a>', home)
    upload = officer.get("/imports/upload").get_data(as_text=True)
    assert re.search(r'<a [^>]*href="/imports/"[^>]*>Lịch sử nhập</a>', upload)


def test_unchanged_rows_are_not_shown_in_red():
    css = CSS.read_text(encoding="utf-8")
    rule = re.search(r"\.status-unchanged \.num[^{]*\{([^}]*)\}", css)
    assert rule and "color:var(--muted)" in rule.group(1).replace(" ", "")


def test_ending_an_appointment_records_its_decision(officer, make):
    person = make.person("A Jar", "Xã Đắk Hring", role=Role.TTV)
    appt = person.appointments[0]
    url = f"/appointments/{appt.id}/end"
    form = officer.get(url).get_data(as_text=True)
    assert "Số quyết định kết thúc" in form and "Ngày quyết định kết thúc" in form
    early = {"end_date": "31/12/2025", "end_reason": "het_nhiem_ky",
             "end_decision_no": "15-QĐ/ĐU", "end_decision_date": "01/01/1990"}
    html = officer.post(url, data=early).get_data(as_text=True)
    assert "không được trước ngày bắt đầu bổ nhiệm" in html
    assert db.session.scalar(sa.select(Appointment.end_date).where(
        Appointment.id == appt.id)) is None
    resp = officer.post(url, data={**early, "end_decision_date": "05/01/2026"})
    assert resp.status_code == 302
    row = db.session.execute(sa.select(Appointment.end_decision_no, Appointment.end_decision_date)
                             .where(Appointment.id == appt.id)).one()
    assert tuple(row) == ("15-QĐ/ĐU", dt.date(2026, 1, 5))
    page = officer.get(f"/persons/{person.id}").get_data(as_text=True)
    assert "QĐ 15-QĐ/ĐU, 05/01/2026" in page
