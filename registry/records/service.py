"""Commendations, disciplines and oral-propaganda sessions of a person; callers commit."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from models import (
    Activity,
    Appointment,
    Commendation,
    Discipline,
    DisciplineSystem,
    EndReason,
    Person,
    RefItem,
    Unit,
    db,
)
from registry.core import access
from registry.core.attrs import apply_fields
from registry.core.dates import add_months
from registry.core.rules import RuleViolation
from registry.settings import service as settings_svc

REMOVAL = "dua_ra_khoi_danh_sach"
EXPULSION = settings_svc.EXPULSION
DISMISSAL = "cach_chuc"
# Forms each system may impose on a person: Party forms of QĐ 69-QĐ/TW as amended by
# 264-QĐ/TW (giải tán concerns organisations, not people), the CB-CC forms, and the handling
# a provincial quy chế applies to BCV/TTV.
FORMS_BY_SYSTEM = {
    DisciplineSystem.DANG: ("khien_trach", "canh_cao", "cach_chuc", "khai_tru"),
    DisciplineSystem.CHINH_QUYEN: ("khien_trach", "canh_cao", "ha_bac_luong", "giang_chuc",
                                   "cach_chuc", "buoc_thoi_viec"),
    DisciplineSystem.BCV_TTV: ("nhac_nho", "phe_binh", "tam_dung_hoat_dong", REMOVAL),
}


def _not_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > dt.date.today():
        raise RuleViolation(field, "Ngày quyết định không được ở tương lai.")


def _ref_code(kind: str, code: str | None, field: str) -> str:
    known = db.session.execute(sa.select(RefItem.code).where(
        RefItem.kind == kind, RefItem.code == (code or ""))).scalar_one_or_none()
    if known is None:
        raise RuleViolation(field, "Vui lòng chọn hình thức trong danh mục.")
    return known


# Commendations ------------------------------------------------------------------------------

COMMENDATION_FIELDS = ("form", "title", "issuer_level", "issuer", "decision_no", "decision_date",
                       "reason", "year")


def _check_commendation(data: dict) -> None:
    _ref_code("commendation_form", data.get("form"), "form")
    _not_future(data.get("decision_date"), "decision_date")
    year = data.get("year")
    if year is None or not 1945 <= year <= dt.date.today().year:
        raise RuleViolation("year", f"Năm khen thưởng phải từ 1945 đến {dt.date.today().year}.")
    if data.get("decision_date") and year > data["decision_date"].year:
        raise RuleViolation("year", "Năm khen thưởng không được sau năm của quyết định.")


def add_commendation(person: Person, data: dict) -> Commendation:
    access.require_write(person.unit)
    _check_commendation(data)
    item = Commendation(person=person)
    apply_fields(item, data, COMMENDATION_FIELDS, multiline=("reason",))
    db.session.add(item)
    db.session.flush()
    return item


def update_commendation(item: Commendation, data: dict) -> Commendation:
    access.require_write(item.person.unit)
    _check_commendation(data)
    apply_fields(item, data, COMMENDATION_FIELDS, multiline=("reason",))
    db.session.flush()
    return item


# Disciplines --------------------------------------------------------------------------------

DISCIPLINE_FIELDS = ("system", "form", "issuer", "decision_no", "decision_date", "effective_from",
                     "effective_until", "summary")


def default_until(form: str, start: dt.date) -> dt.date | None:
    """The last day in force for a form by the default duration in the settings (None: no end)."""
    if form in settings_svc.FOREVER:
        return None
    months = settings_svc.get("discipline_months").get(form)
    return None if not months else add_months(start, months) - dt.timedelta(days=1)


def _check_discipline(data: dict) -> dict:
    form = _ref_code("discipline_form", data.get("form"), "form")
    system = data.get("system")
    if system is None:
        raise RuleViolation("system", "Vui lòng chọn hệ thống kỷ luật.")
    if form not in FORMS_BY_SYSTEM[DisciplineSystem(system)]:
        raise RuleViolation("form", "Hình thức này không thuộc hệ thống kỷ luật đã chọn.")
    _not_future(data.get("decision_date"), "decision_date")
    start = data.get("effective_from")
    if start is None:
        raise RuleViolation("effective_from", "Vui lòng nhập ngày bắt đầu có hiệu lực.")
    if data.get("decision_date") and start < data["decision_date"]:
        raise RuleViolation("effective_from", "Ngày có hiệu lực không được trước ngày quyết định.")
    until = data.get("effective_until")
    if until is not None and form in settings_svc.FOREVER:
        raise RuleViolation("effective_until", "Khai trừ có hiệu lực vĩnh viễn: để trống ngày "
                                               "hết hiệu lực.")
    if until is None:
        until = default_until(form, start)
    elif until < start:
        raise RuleViolation("effective_until", "Ngày hết hiệu lực không được trước ngày bắt đầu.")
    return {**data, "effective_until": until}


def removals(person: Person, data: dict) -> list[Appointment]:
    """The appointments an "đưa ra khỏi danh sách" measure would end (none for other forms)."""
    if data.get("form") != REMOVAL or data.get("effective_from") is None:
        return []
    return [a for a in person.appointments
            if a.end_date is None or a.end_date >= data["effective_from"]]


def _end_for_removal(person: Person, start: dt.date) -> int:
    ended = 0
    for appt in removals(person, {"form": REMOVAL, "effective_from": start}):
        appt.end_date = max(appt.start_date, start - dt.timedelta(days=1))
        appt.end_reason = EndReason.DUA_RA_KHOI_DS
        ended += 1
    return ended


def add_discipline(person: Person, data: dict, *, end_appointments: bool = False) -> Discipline:
    """Record a measure. With `end_appointments` (after the user confirmed), a removal from the
    list also ends the person's current appointments the day before it takes effect."""
    access.require_write(person.unit)
    data = _check_discipline(data)
    item = Discipline(person=person)
    apply_fields(item, data, DISCIPLINE_FIELDS, multiline=("summary",))
    db.session.add(item)
    if end_appointments and item.form == REMOVAL:
        _end_for_removal(person, item.effective_from)
    db.session.flush()
    return item


def update_discipline(item: Discipline, data: dict, *,
                      end_appointments: bool = False) -> Discipline:
    access.require_write(item.person.unit)
    data = _check_discipline(data)
    apply_fields(item, data, DISCIPLINE_FIELDS, multiline=("summary",))
    if end_appointments and item.form == REMOVAL:
        _end_for_removal(item.person, item.effective_from)
    db.session.flush()
    return item


def expulsion_removals(item: Discipline, today: dt.date | None = None) -> list[Appointment]:
    """After a khai trừ: the appointments a removal from the list taking effect the same day
    would end, while the person still holds one of them today (none otherwise)."""
    if item.form != EXPULSION:
        return []
    ending = removals(item.person, {"form": REMOVAL, "effective_from": item.effective_from})
    today = today or dt.date.today()
    return ending if any(a.is_active_on(today) for a in ending) else []


def removal_after_expulsion(item: Discipline) -> dict:
    """The removal from the list proposed after a khai trừ, for the officer to confirm."""
    decision = ", ".join(x for x in (
        f"quyết định số {item.decision_no}" if item.decision_no else "",
        f"ngày {item.decision_date:%d/%m/%Y}" if item.decision_date else "",
        item.issuer or "") if x)
    return {"system": DisciplineSystem.BCV_TTV, "form": REMOVAL,
            "effective_from": item.effective_from,
            "summary": ("Bị kỷ luật khai trừ khỏi Đảng" + (f" ({decision})" if decision else "")
                        + "; không còn đủ tiêu chuẩn báo cáo viên, tuyên truyền viên.")}


# Activities ---------------------------------------------------------------------------------

ACTIVITY_FIELDS = ("date", "topic", "place", "form", "audience", "notes")


def check_activity(person: Person, data: dict) -> Appointment | None:
    day = data.get("date")
    if day is None:
        raise RuleViolation("date", "Vui lòng nhập ngày báo cáo.")
    if day > dt.date.today():
        raise RuleViolation("date", "Ngày báo cáo không được ở tương lai.")
    if data.get("audience") is not None and data["audience"] <= 0:
        raise RuleViolation("audience", "Số người nghe phải là số nguyên dương.")
    appt_id = data.get("appointment_id")
    if appt_id is None:
        return None
    appt = next((a for a in person.appointments if a.id == appt_id), None)
    if appt is None:
        raise RuleViolation("appointment_id", "Bổ nhiệm đã chọn không phải của người này.")
    if not appt.is_active_on(day):
        raise RuleViolation("appointment_id", "Bổ nhiệm đã chọn không còn hiệu lực vào ngày này.")
    return appt


def add_activity(person: Person, data: dict, unit: Unit) -> Activity:
    access.require_write(person.unit)
    access.require_write(unit)
    appt = check_activity(person, data)
    item = Activity(person=person, unit=unit, appointment=appt)
    apply_fields(item, data, ACTIVITY_FIELDS, multiline=("notes",))
    db.session.add(item)
    db.session.flush()
    return item


def update_activity(item: Activity, data: dict, unit: Unit) -> Activity:
    access.require_write(item.person.unit)
    access.require_write(unit)
    item.appointment = check_activity(item.person, data)
    item.unit = unit
    apply_fields(item, data, ACTIVITY_FIELDS, multiline=("notes",))
    db.session.flush()
    return item


def delete_record(item) -> None:
    """Delete a commendation, discipline or activity of a person the actor may write."""
    access.require_write(item.person.unit)
    db.session.delete(item)
    db.session.flush()


def sessions_per_person(stmt: sa.Select) -> list[tuple[Person, int]]:
    """Count the sessions of an activity query per person, in roster order."""
    sub = stmt.order_by(None).with_only_columns(Activity.id).subquery()
    rows = db.session.execute(
        sa.select(Person, sa.func.count(Activity.id))
        .join(Activity, Activity.person_id == Person.id)
        .where(Activity.id.in_(sa.select(sub.c.id))).group_by(Person.id)
        .order_by(Person.sort_key, Person.id)).all()
    return [(p, n) for p, n in rows]
