"""The six bulk actions: what each does to one person (a line of the preview) and how it is
applied to everyone, through the services of the one-person pages (their rules, their audit).

A plan line is (DO | SKIP | ERROR, text). A skipped person is left as they are (already
commended by this decision, already in the course…); an error stops the whole decision."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from models import Appointment, Attendance, Commendation, Discipline, EndReason, Person, db
from registry import refdata
from registry.bulk import forms
from registry.core import reform2025
from registry.records import service as records
from registry.roster import persons as roster
from registry.terms import service as terms
from registry.terms.rules import term_ended
from registry.training import service as training

DO, SKIP, ERROR = "do", "skip", "error"
Line = tuple[str, str]


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    done: str  # the success message, "{n}" the number of people
    form: type
    fields: tuple[str, ...]
    plan: Callable[[list[Person], dict, dt.date], list[Line]]
    run: Callable[[list[Person], dict, dt.date], None]


def _d(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def appt_text(a: Appointment) -> str:
    return f"{a.role.value} {a.level.phrase} ({a.unit_name_snapshot}, từ {_d(a.start_date)})"


def _already(model, people: list[Person], values: dict) -> set[int]:
    """People who already have a record of this form under this decision number."""
    number = (values.get("decision_no") or "").strip()
    if not number:
        return set()
    return set(db.session.execute(sa.select(model.person_id).where(
        model.person_id.in_([p.id for p in people]), model.form == values["form"],
        model.decision_no == number)).scalars())


# Commendation -------------------------------------------------------------------------------

def _plan_commendation(people: list[Person], v: dict, _today: dt.date) -> list[Line]:
    done = _already(Commendation, people, v)
    name = refdata.names("commendation_form").get(v["form"], v["form"])
    what = f"Thêm {name}" + (f" «{v['title']}»" if v.get("title") else "") + f", năm {v['year']}"
    skip = f"Đã có {name} theo quyết định số {(v.get('decision_no') or '').strip()}"
    return [(SKIP, skip) if p.id in done else (DO, what) for p in people]


def _run_commendation(people: list[Person], v: dict, _today: dt.date) -> None:
    for person in people:
        records.add_commendation(person, v)


# Discipline ---------------------------------------------------------------------------------

def _plan_discipline(people: list[Person], v: dict, _today: dt.date) -> list[Line]:
    done = _already(Discipline, people, v)
    name = refdata.names("discipline_form").get(v["form"], v["form"])
    start = v["effective_from"]
    until = v.get("effective_until") or records.default_until(v["form"], start)
    what = (f"Thêm kỷ luật {name} ({v['system'].label}), hiệu lực từ {_d(start)} "
            + (f"đến hết {_d(until)}" if until else "không thời hạn"))
    if v["form"] == records.DISMISSAL:
        what += "; sau đó xem lại chức vụ trong hồ sơ"
    return [(SKIP, f"Đã có kỷ luật {name} theo quyết định này") if p.id in done else (DO, what)
            for p in people]


def _run_discipline(people: list[Person], v: dict, _today: dt.date) -> None:
    for person in people:
        records.add_discipline(person, v)


# Course -------------------------------------------------------------------------------------

def _plan_course(people: list[Person], v: dict, _today: dt.date) -> list[Line]:
    course = v["course"]
    present = set(db.session.execute(sa.select(Attendance.person_id).where(
        Attendance.course_id == course.id,
        Attendance.person_id.in_([p.id for p in people]))).scalars())
    return [(SKIP, "Đã có trong khóa này") if p.id in present
            else (DO, f"Thêm vào khóa «{course.name}»") for p in people]


def _run_course(people: list[Person], v: dict, _today: dt.date) -> None:
    training.add_attendees(v["course"], people)


# End of term --------------------------------------------------------------------------------

def ending(person: Person, v: dict) -> list[Appointment]:
    """The person's open appointments this decision ends (of the role and level asked)."""
    return [a for a in person.appointments if a.end_date is None
            and v["role"] in (None, a.role) and v["level"] in (None, a.level)]


def _plan_end(people: list[Person], v: dict, _today: dt.date) -> list[Line]:
    return [_end_line(p, v) for p in people]


def _end_line(person: Person, v: dict) -> Line:
    found = ending(person, v)
    if not found:
        return SKIP, "Không có bổ nhiệm đang hiệu lực" + (
            " phù hợp vai trò, cấp đã chọn" if v["role"] or v["level"] else "")
    late = [a for a in found if a.start_date > v["end_date"]]
    if late:
        return ERROR, f"{appt_text(late[0])} bắt đầu sau ngày kết thúc {_d(v['end_date'])}"
    decided = v["end_decision_date"]
    early = [a for a in found if decided is not None and decided < a.start_date]
    if early:
        return ERROR, (f"{appt_text(early[0])} bắt đầu sau ngày quyết định kết thúc "
                       f"{_d(decided)}")
    return DO, (f"Kết thúc {'; '.join(appt_text(a) for a in found)} ngày {_d(v['end_date'])} "
                f"({v['end_reason'].label})")


def _run_end(people: list[Person], v: dict, _today: dt.date) -> None:
    for person in people:
        for appt in ending(person, v):
            roster.end_appointment(appt, v["end_date"], v["end_reason"],
                                   decision_no=v["end_decision_no"],
                                   decision_date=v["end_decision_date"])


# Re-appointment -----------------------------------------------------------------------------

def renewal(person: Person, today: dt.date) -> tuple[list[Appointment], list[Appointment]]:
    """(active appointments past their term, renewed by registry.terms; appointments that
    ended at their term's end, the latest ones, opened again as they were)."""
    past = [a for a in person.appointments if term_ended(a, today)]
    if past or any(a.end_date is None or a.end_date >= today for a in person.appointments):
        return past, []
    ended = [a for a in person.appointments if a.end_date is not None]
    last = max((a.end_date for a in ended), default=None)
    return [], [a for a in ended if a.end_date == last]


def _plan_reappoint(people: list[Person], v: dict, today: dt.date) -> list[Line]:
    return [_reappoint_line(p, v["decision"], today) for p in people]


def _reappoint_line(person: Person, decision: terms.Decision, today: dt.date) -> Line:
    past, again = renewal(person, today)
    start = decision.start_date
    if not past and not again:
        current = [a for a in person.appointments if a.end_date is None or a.end_date >= today]
        return SKIP, (f"Đang có bổ nhiệm còn nhiệm kỳ: {appt_text(current[0])}" if current
                      else "Chưa có bổ nhiệm nào")
    if any(a.end_reason is not EndReason.HET_NHIEM_KY for a in again):
        return SKIP, (f"Bổ nhiệm gần nhất kết thúc vì «{again[0].end_reason.label}», không "
                      "phải hết nhiệm kỳ")
    for a in past + again:
        if a in past and a.end_date is not None:
            return ERROR, f"{appt_text(a)} đã có ngày kết thúc {_d(a.end_date)}"
        if max(a.start_date, a.end_date or a.start_date) >= start:
            return ERROR, f"Ngày bắt đầu {_d(start)} phải sau các ngày của {appt_text(a)}"
        if (refusal := reform2025.level_refusal(a.level, start)) is not None:
            return ERROR, f"{appt_text(a)}: {refusal}"
        if not a.unit.is_valid_on(start):
            return ERROR, f"Đơn vị {a.unit.name} không còn hiệu lực ngày {_d(start)}"
    return DO, (f"Bổ nhiệm lại {'; '.join(appt_text(a) for a in past + again)} nhiệm kỳ "
                f"{decision.term} từ {_d(start)}"
                + (f"; bổ nhiệm cũ kết thúc ngày {_d(start - dt.timedelta(days=1))}"
                   if past else ""))


def _run_reappoint(people: list[Person], v: dict, today: dt.date) -> None:
    decision: terms.Decision = v["decision"]
    past = [a for p in people for a in renewal(p, today)[0]]
    if past:
        terms.reappoint(past, decision, today)
    data = {"decision_no": decision.decision_no, "decision_date": decision.decision_date,
            "decision_body": decision.decision_body, "term": decision.term,
            "start_date": decision.start_date}
    for person in people:
        for old in renewal(person, today)[1]:
            roster.add_appointment(person, data | {"role": old.role, "level": old.level},
                                   old.unit)


# Change of unit -----------------------------------------------------------------------------

def _plan_move(people: list[Person], v: dict, _today: dt.date) -> list[Line]:
    return [_move_line(p, v["unit"], v["day"]) for p in people]


def _move_line(person: Person, unit, day: dt.date) -> Line:
    active = person.active_appointments(day)
    if person.unit_id == unit.id and all(a.unit_id == unit.id for a in active):
        return SKIP, "Đã thuộc đơn vị này"
    for a in active:
        if a.start_date >= day:
            return ERROR, f"Ngày chuyển {_d(day)} phải sau ngày bắt đầu của {appt_text(a)}"
        if (refusal := reform2025.level_refusal(a.level, day)) is not None:
            return ERROR, f"{appt_text(a)}: {refusal}"
    if not active:
        return DO, f"Chuyển hồ sơ từ {person.unit.name} sang {unit.name}"
    return DO, (f"Chuyển từ {person.unit.name} sang {unit.name}: {len(active)} bổ nhiệm kết "
                f"thúc ngày {_d(day - dt.timedelta(days=1))} (chuyển công tác) và tiếp tục ở "
                f"đơn vị mới từ {_d(day)}")


def _run_move(people: list[Person], v: dict, _today: dt.date) -> None:
    for person in people:
        roster.transfer(person, v["unit"], v["day"], EndReason.CHUYEN_CONG_TAC)


ACTIONS = {a.key: a for a in (
    Action("khen-thuong", "Khen thưởng", "Đã thêm khen thưởng cho {n} người.",
           forms.BulkCommendationForm,
           ("form", "title", "year", "issuer_level", "issuer", "decision_no", "decision_date",
            "reason"), _plan_commendation, _run_commendation),
    Action("ky-luat", "Kỷ luật", "Đã ghi kỷ luật cho {n} người.", forms.BulkDisciplineForm,
           ("system", "form", "issuer", "decision_no", "decision_date", "effective_from",
            "effective_until", "summary"), _plan_discipline, _run_discipline),
    Action("ket-thuc", "Kết thúc bổ nhiệm (hết nhiệm kỳ)",
           "Đã kết thúc bổ nhiệm của {n} người.", forms.EndTermForm,
           ("end_date", "end_reason", "end_decision_no", "end_decision_date", "role", "level"),
           _plan_end, _run_end),
    Action("bo-nhiem-lai", "Bổ nhiệm lại (nhiệm kỳ mới)", "Đã bổ nhiệm lại {n} người.",
           forms.BulkReappointForm,
           ("decision_no", "decision_date", "decision_body", "term", "start_date"),
           _plan_reappoint, _run_reappoint),
    Action("khoa-boi-duong", "Thêm vào khóa bồi dưỡng",
           "Đã thêm {n} người vào khóa bồi dưỡng.", forms.CourseForm, ("course_id",),
           _plan_course, _run_course),
    Action("chuyen-don-vi", "Chuyển đơn vị", "Đã chuyển đơn vị cho {n} người.", forms.MoveForm,
           ("unit_id", "day"), _plan_move, _run_move),
)}
