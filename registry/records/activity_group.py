"""One session given by several presenters, entered once: the presenters named one a line,
each found on the roster in the actor's scope, then one Activity per presenter sharing a new
session key, all or nothing. Callers commit."""
from __future__ import annotations

import re
import uuid

import sqlalchemy as sa

from imports.text import fold_case, fold_case_and_diacritics
from models import Activity, Appointment, Person, Unit, db
from registry.core import access
from registry.core.attrs import apply_fields
from registry.core.rules import RuleViolation
from registry.records.service import ACTIVITY_FIELDS, check_activity

MAX_PRESENTERS = 30
# "Họ tên (Đơn vị)", "Họ tên - Đơn vị", "Họ tên – Đơn vị": the unit tells namesakes apart.
_WITH_UNIT = re.compile(r"^(?P<name>[^()]+?)\s*(?:\((?P<p>[^()]+)\)|\s[-–]\s(?P<d>.+))$")


def split_line(line: str) -> tuple[str, str]:
    """(name, unit hint) of one line of the presenters' list ("" when no unit is given)."""
    line = " ".join(line.split())
    m = _WITH_UNIT.match(line)
    if not m:
        return line, ""
    return m["name"].strip(), (m["p"] or m["d"] or "").strip()


def _candidates(name: str) -> list[Person]:
    # The exact name first (tones kept: "Hà" and "Hạ" are different people); typed without
    # diacritics, the name without them.
    for column, key in ((Person.name_folded, fold_case(name)),
                        (Person.search_key, fold_case_and_diacritics(name))):
        found = db.session.execute(sa.select(Person).where(column == key)
                                   .order_by(Person.sort_key, Person.id)).scalars().all()
        if found:
            return list(found)
    return []


def find_presenter(line: str) -> tuple[Person | None, str | None]:
    """The person a line names in the actor's scope, or None and why, in Vietnamese."""
    name, hint = split_line(line)
    people = _candidates(name)
    if hint:
        key = fold_case_and_diacritics(hint)
        people = [p for p in people if key in fold_case_and_diacritics(p.unit.name)]
    if len(people) == 1:
        return people[0], None
    if not people:
        return None, f"Không tìm thấy «{line}» trong đội ngũ thuộc phạm vi của bạn."
    units = "; ".join(p.unit.name for p in people[:5])
    return None, (f"«{name}» trùng tên {len(people)} người ({units}): ghi thêm đơn vị, ví dụ "
                  f"«{name} ({people[0].unit.name})».")


def resolve_presenters(text: str) -> list[Person]:
    """The people named one a line; every line must name exactly one (else RuleViolation
    listing each problem), none twice, at least two."""
    lines = [" ".join(x.split()) for x in (text or "").splitlines() if x.strip()]
    if len(lines) < 2:
        raise RuleViolation("presenters", "Buổi nhiều người báo cáo cần ít nhất hai người, "
                                          "mỗi người một dòng.")
    if len(lines) > MAX_PRESENTERS:
        raise RuleViolation("presenters", f"Tối đa {MAX_PRESENTERS} người báo cáo một buổi.")
    people, problems = [], []
    for line in lines:
        person, problem = find_presenter(line)
        if person is not None and any(p.id == person.id for p in people):
            problem = f"{person.full_name} được ghi hai lần."
        if problem:
            problems.append(problem)
        else:
            people.append(person)
    if problems:
        raise RuleViolation("presenters", " ".join(problems))
    return people


def _appointment(person: Person, data: dict, unit: Unit) -> Appointment:
    """The presenter's appointment active on the day, the one in the session's unit first."""
    active = person.active_appointments(data["date"])
    if not active:
        raise RuleViolation("presenters", f"{person.full_name} không có bổ nhiệm còn hiệu lực "
                                          f"vào ngày {data['date']:%d/%m/%Y}.")
    return next((a for a in active if a.unit.path.startswith(unit.path)), active[0])


def create_session(data: dict, unit: Unit, presenters: str) -> list[Activity]:
    """One Activity per presenter, sharing a new session key, each counted in the capacity of
    the presenter's appointment on that day; nothing is written when any presenter fails."""
    access.require_write(unit)
    if data.get("date") is None:
        raise RuleViolation("date", "Vui lòng nhập ngày báo cáo.")
    people = resolve_presenters(presenters)
    plan = []
    for person in people:  # every check before the first row, so that nothing is half made
        access.require_write(person.unit)
        appt = _appointment(person, data, unit)
        check_activity(person, {**data, "appointment_id": appt.id})
        plan.append((person, appt))
    key = str(uuid.uuid4())
    rows = []
    for person, appt in plan:
        item = Activity(person=person, unit=unit, appointment=appt, session_key=key)
        apply_fields(item, data, ACTIVITY_FIELDS, multiline=("notes",))
        db.session.add(item)
        rows.append(item)
    db.session.flush()
    return rows


def session_rows(item: Activity) -> list[Activity]:
    """The rows of the session `item` belongs to that the actor sees (itself alone when it is
    not shared)."""
    if not item.session_key:
        return [item]
    return list(db.session.execute(
        sa.select(Activity).join(Activity.person).where(Activity.session_key == item.session_key)
        .order_by(Person.sort_key, Activity.id)).scalars())


def delete_session(item: Activity) -> int:
    """Delete every row of the session (each presenter's), when the actor may write them all."""
    if not item.session_key:
        raise RuleViolation(None, "Buổi này chỉ có một người báo cáo: hãy dùng nút «Xóa buổi "
                                  "báo cáo».")
    rows = session_rows(item)
    for row in rows:
        access.require_write(row.person.unit)
    for row in rows:
        db.session.delete(row)
    db.session.flush()
    return len(rows)
