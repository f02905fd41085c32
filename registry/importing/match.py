"""Match valid rows with people already in the registry and plan what each row will do.

Identity across files is the CCCD (province-wide, whoever owns the person); a row without one
matches a person in the uploader's scope with the same name, birth date and unit. A history row
without one that finds nobody so may be an earlier appointment of someone who has since moved:
it matches the one person of that name and birth date who held an appointment at its unit.
A person matched outside the uploader's scope is never shown nor changed: the row is a
`transfer`, a request filed on confirm (registry/transfers) for someone who sees both units
to decide. One bulk query per sheet, never one per row."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from imports import history
from imports.text import collapse_spaces, fold_case
from imports.validate import BAD_START_DATE
from models import Appointment, Level, Person, Role, Unit
from registry.core import access
from registry.core.reform2025 import level_refusal
from registry.refdata import ref_codes

LEVEL_OF = {
    "xã": Level.CO_SO,
    "huyện": Level.HUYEN,
    "tỉnh": Level.TINH,
    "trung ương": Level.TRUNG_UONG,
}
CONTRACT_LEVEL = {v: k for k, v in LEVEL_OF.items()}
# Person fields a row may carry, compared only when the row gives a value (an absent column
# never erases data). "Ghi chú" is not among them: in update lists it annotates the row
# ("Điều chỉnh", "Chuyển đến từ …"), it does not describe the person.
PLAIN_FIELDS = (
    "full_name",
    "gender",
    "ethnicity",
    "position",
    "religion",
    "education",
    "professional",
    "phone",
    "email",
    "workplace",
    "hometown",
)
# A matcher-stage reason (after the file's own, imports.REASONS, whose order is the contract's):
# a history row without CCCD that several people of the registry could be.
AMBIGUOUS = "ambiguous_person"
# A row matching a person outside the scope needs its role and level: they are what the
# transfer request asks for.
TRANSFER_NEEDS_ROLE = "transfer_needs_role"
# All the uploader learns of a person outside their scope: that the CCCD is registered.
REGISTERED_ELSEWHERE = "Số CCCD này đã được đăng ký ở một đơn vị khác"
# A matcher-stage reason: the row would start a cấp huyện appointment on or after 01-7-2025,
# when there is no such level any more (registry.core.reform2025).
NO_DISTRICT_LEVEL = "no_district_level"
TRANSFER_NOTE = (
    f"{REGISTERED_ELSEWHERE}. Khi xác nhận, hệ thống gửi đề nghị "
    "chuyển công tác về đơn vị này; hồ sơ chỉ thay đổi khi cấp quản lý cả hai đơn vị duyệt."
)


@dataclass(slots=True)
class Plan:
    status: str  # new | update | unchanged | transfer | invalid
    person_id: int | None = None
    changes: dict[str, list] = field(default_factory=dict)
    reason: str | None = None
    message: str | None = None
    history: bool = False  # a row of an ended appointment (history.py)
    field: str = "unit"  # the field at fault of an invalid row


@dataclass(frozen=True, slots=True)
class _Several:
    """A history row that several people could be: it is refused, never guessed."""

    count: int


def dob_text(person: Person) -> str | None:
    """The contract form of a stored birth date: YYYY-MM-DD, YYYY-MM or YYYY."""
    if person.dob is None:
        return None
    precision = person.dob_precision.value if person.dob_precision else "day"
    return {"year": f"{person.dob.year:04d}", "month": person.dob.strftime("%Y-%m")}.get(
        precision, person.dob.isoformat()
    )


def same_dob(old: str | None, new: str | None) -> bool:
    """A less precise birth date that agrees with the stored one is no change (trích ngang
    lists carry only the year)."""
    if not new or old == new:
        return True
    return bool(old) and len(new) < len(old) and old.startswith(new)


class Matcher:
    """Plans rows against the database as the given scope sees it."""

    def __init__(self, session: Session, scope: access.Scope | None, today: dt.date | None = None):
        self.s = session
        self.scope = scope
        self.today = today or dt.date.today()
        self.units = {u.id: u for u in session.execute(sa.select(Unit)).scalars()}
        self.in_scope = {uid for uid, u in self.units.items() if access.unit_in_scope(u, scope)}
        self.llct = ref_codes(session, "political_theory")

    def plan(self, rows: list[dict]) -> list[Plan]:
        """`rows` are the normalised values (with `unit_id`) of the valid rows of one sheet."""
        by_cccd = self._by_cccd({r["cccd"] for r in rows if r.get("cccd")})
        by_name = self._by_name([r for r in rows if not r.get("cccd")])
        found = [
            by_cccd.get(r["cccd"]) if r.get("cccd") else self._name_match(r, by_name) for r in rows
        ]
        found = self._former_matches(rows, found, by_name)
        persons = list(by_cccd.values()) + [p for ps in by_name.values() for p in ps]
        # Only people in scope are compared; those outside it become transfers, unread.
        active = self._active_appointments(
            {p.id for p in persons if p.unit_id in self.in_scope}
        )
        return [
            self._plan_row(
                r, person, active.get(person.id, []) if isinstance(person, Person) else []
            )
            for r, person in zip(rows, found, strict=True)
        ]

    def _plan_row(
        self, r: dict, person: Person | _Several | None, active: list[Appointment]
    ) -> Plan:
        if r["unit_id"] not in self.in_scope:
            return Plan(
                "invalid",
                reason="unknown_unit",
                message=f"Cột «Đơn vị»: «{r.get('unit')}» nằm ngoài phạm vi đơn vị tải lên.",
            )
        if isinstance(person, _Several):
            return Plan(
                "invalid",
                reason=AMBIGUOUS,
                field="cccd",
                message=history.ambiguous(r, self.units[r["unit_id"]].name, person.count),
            )
        if person is not None and person.unit_id not in self.in_scope:
            return self._transfer_plan(r, person)
        if history.ended_on(r, self.today) is not None:
            return self._history_plan(r, person)
        if person is None:
            return self._no_district_level(r) or Plan("new")
        changes = self._person_changes(r, person)
        moves = self._appointment_changes(r, person, active)
        if moves and (refused := self._no_district_level(r)):
            return refused
        if moves and (clash := history.starts_too_early(r, active)):
            return Plan("invalid", reason=BAD_START_DATE, field="start_date", message=clash)
        changes.update(moves)
        return Plan("update" if changes else "unchanged", person.id, changes)

    def _no_district_level(self, r: dict) -> Plan | None:
        """A row that would start a cấp huyện appointment from 01-7-2025: on its start date, or,
        without one, today in a district that has ended (a file of the former structure)."""
        if LEVEL_OF.get(r.get("level") or "") is not Level.HUYEN:
            return None
        start, unit = r.get("start_date"), self.units[r["unit_id"]]
        abolished = unit.valid_to is not None and unit.valid_to < self.today
        day = history.first_day(start) if start else self.today if abolished else None
        phrase = level_refusal(Level.HUYEN, day)
        if phrase is None:
            return None
        when = (f"bắt đầu {history.shown(start)}" if start else
                f"không có ngày bắt đầu nên tính từ hôm nay, khi {unit.name} đã giải thể")
        return Plan("invalid", reason=NO_DISTRICT_LEVEL, field="level",
                    message=f"{phrase} Dòng này {when}.")

    def _transfer_plan(self, r: dict, person: Person) -> Plan:
        """A person outside the scope: nothing of theirs goes into the plan (no changes, no
        old values), only that the row will ask for them."""
        if Role.parse(r.get("role")) is None or LEVEL_OF.get(r.get("level") or "") is None:
            return Plan(
                "invalid",
                reason=TRANSFER_NEEDS_ROLE,
                field="role",
                message=f"{REGISTERED_ELSEWHERE}; để đề nghị chuyển công tác, dòng cần có "
                "«Vai trò» (BCV/TTV) và «Cấp».",
            )
        ended = history.ended_on(r, self.today)
        note = TRANSFER_NOTE
        if ended is not None:
            note += f" Dòng lịch sử (nhiệm vụ đã kết thúc {history.shown(r['end_date'])}): " \
                "nếu được duyệt chỉ cập nhật thông tin cá nhân."
        return Plan("transfer", person.id, message=note, history=ended is not None)

    def _history_plan(self, r: dict, person: Person | None) -> Plan:
        """A row of an ended appointment: a new person comes in with it ended (apply.py); for
        a known person only their own fields count, their appointments are left alone."""
        if person is None:
            return Plan("new", message=history.note(r["end_date"], existing=False), history=True)
        changes = self._person_changes(r, person)
        return Plan(
            "update" if changes else "unchanged",
            person.id,
            changes,
            history=True,
            message=history.note(r["end_date"], existing=True, changed=bool(changes)),
        )

    def _person_changes(self, r: dict, p: Person) -> dict[str, list]:
        changes = {}
        for key in PLAIN_FIELDS:
            new = r.get(key)
            old = getattr(p, key)
            old = old.value if hasattr(old, "value") else old
            if new not in (None, "") and collapse_spaces(str(new)) != (old or ""):
                changes[key] = [old, collapse_spaces(str(new))]
        if not same_dob(dob_text(p), r.get("dob")):
            changes["dob"] = [dob_text(p), r.get("dob")]
        if r.get("cccd") and p.cccd != r["cccd"]:
            changes["cccd"] = [p.cccd, r["cccd"]]
        llct = self.llct.get(fold_case(r.get("political_theory") or ""))
        if llct and llct != p.political_theory:
            changes["political_theory"] = [p.political_theory, llct]
        return changes

    def _appointment_changes(self, r: dict, p: Person, active: list[Appointment]) -> dict:
        role, level = Role.parse(r.get("role")), LEVEL_OF.get(r.get("level") or "")
        if role is None or level is None:
            return {}
        same_role = [a for a in active if a.role is role]
        if any(a.unit_id == r["unit_id"] and a.level is level for a in same_role):
            return {}
        if not same_role:
            return {"role": [None, role.value]}
        old = same_role[0]
        changes = {}
        if old.unit_id != r["unit_id"]:
            # A former unit's row moves the person to the unit that took it over.
            landed = r.get("current_unit")
            changes["unit"] = [self.units[old.unit_id].name, landed or r.get("unit")]
            old_district = _district_name(self.units, old.unit_id)
            new_district = _district_name(self.units, r["unit_id"]) if landed else r.get("district")
            if old_district != new_district:
                changes["district"] = [old_district, new_district]
        if old.level is not level:
            changes["level"] = [CONTRACT_LEVEL.get(old.level), r.get("level")]
        return changes

    def _by_cccd(self, cccds: set[str]) -> dict[str, Person]:
        if not cccds:
            return {}
        # Unscoped on purpose: a CCCD is unique in the province, so a match outside the scope
        # is that same person coming in, never a new one. Its only answer to the uploader is
        # "registered elsewhere" (a transfer plan, _transfer_plan); nothing of them is shown.
        stmt = access.unscoped(sa.select(Person).where(self._one_of(Person.cccd, cccds)))
        return {p.cccd: p for p in self.s.execute(stmt).scalars()}

    def _by_name(self, rows: list[dict]) -> dict[str, list[Person]]:
        names = {fold_case(r["full_name"]) for r in rows}
        found: dict[str, list[Person]] = {}
        if not names:
            return found
        stmt = sa.select(Person).where(self._one_of(Person.name_folded, names))
        for p in self.s.execute(stmt).scalars():  # scoped: only people the uploader sees
            found.setdefault(p.name_folded, []).append(p)
        return found

    def _one_of(self, column: sa.ColumnElement, values: set) -> sa.ColumnElement[bool]:
        """`column IN values` with all the values in one bound parameter (a JSON array that
        SQLite's json_each reads, a PostgreSQL array): an IN list of 2,000 binds cost more to
        render than the query took to run."""
        if self.s.get_bind().dialect.name == "postgresql":
            return column == sa.any_(sa.bindparam(None, list(values), type_=ARRAY(column.type)))
        listed = sa.func.json_each(orjson.dumps(list(values)).decode()).table_valued("value")
        return column.in_(sa.select(listed.c.value))

    def _name_match(self, r: dict, by_name: dict[str, list[Person]]) -> Person | None:
        candidates = [
            p
            for p in by_name.get(fold_case(r["full_name"]), [])
            if p.unit_id == r["unit_id"] and same_dob(dob_text(p), r.get("dob"))
        ]
        return candidates[0] if len(candidates) == 1 else None

    def _former_matches(
        self, rows: list[dict], found: list, by_name: dict[str, list[Person]]
    ) -> list:
        """`found` with each history row without CCCD that matched nobody matched instead by
        name, birth date and an appointment (ended or not) at its unit: the earlier row of a
        person who moved (the complete export writes one row per appointment). Only those rows
        pay for the query, and only when someone of that name and birth date is in scope."""
        wanted = {
            i: people
            for i, (r, person) in enumerate(zip(rows, found, strict=True))
            if person is None
            and not r.get("cccd")
            and history.ended_on(r, self.today)
            and (people := _same_person(r, by_name))
        }
        if not wanted:
            return found
        held = self._units_held({p.id for people in wanted.values() for p in people})
        found = list(found)
        for i, people in wanted.items():
            unit_id = rows[i]["unit_id"]
            there = [p for p in people if p.unit_id == unit_id or unit_id in held.get(p.id, ())]
            found[i] = there[0] if len(there) == 1 else _Several(len(there)) if there else None
        return found

    def _units_held(self, person_ids: set[int]) -> dict[int, set[int]]:
        """person id -> the units of all their appointments, ended ones included. The people
        come from the scoped name query, so nobody outside the scope is looked at."""
        out: dict[int, set[int]] = {}
        stmt = access.unscoped(
            sa.select(Appointment.person_id, Appointment.unit_id)
            .distinct()
            .where(self._one_of(Appointment.person_id, person_ids))
        )
        for person_id, unit_id in self.s.execute(stmt):
            out.setdefault(person_id, set()).add(unit_id)
        return out

    def _active_appointments(self, person_ids: set[int]) -> dict[int, list[Appointment]]:
        # Unscoped on purpose: `plan` asks only for people in scope (those outside become
        # transfers, unread), so the scope's criteria would repeat that check at a cost.
        out: dict[int, list[Appointment]] = {}
        if not person_ids:
            return out
        stmt = access.unscoped(
            sa.select(Appointment).where(
                self._one_of(Appointment.person_id, person_ids),
                Appointment.active_on_clause(self.today),
            )
        )
        for a in self.s.execute(stmt).scalars():
            out.setdefault(a.person_id, []).append(a)
        return out


def _same_person(r: dict, by_name: dict[str, list[Person]]) -> list[Person]:
    """The people in scope with the row's name and birth date, at any unit."""
    return [
        p
        for p in by_name.get(fold_case(r["full_name"]), [])
        if same_dob(dob_text(p), r.get("dob"))
    ]


def _district_name(units: dict[int, Unit], unit_id: int) -> str | None:
    unit = units.get(unit_id)
    while unit is not None and unit.kind.value not in ("huyen", "tinh"):
        unit = units.get(unit.parent_id)
    return unit.name if unit is not None and unit.kind.value == "huyen" else None
