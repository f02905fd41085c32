"""Báo cáo số lượng, chất lượng đội ngũ: for a unit's subtree, a period and an "as of" date, one
row per unit with the numbers of BCV and TTV and what they are made of, a total row, and the
grassroots units without a TTV.

The as-of date rebuilds the unit tree as it stood then (units valid on that date, under the
parents they had: registry.units.tree) and counts the appointments active on it, so a
report for 2024 still shows the districts merged away in 2025, with their people. A person is
counted once per row and once in the total, whatever roles they hold. Attributes are today's
(gender, ethnicity, political theory, education); party membership and age are as of the date.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from imports.text import fold_case
from models import (
    Appointment,
    Attendance,
    Commendation,
    Course,
    Discipline,
    Person,
    Role,
    UnitKind,
    db,
)
from registry import refdata
from registry.core.rules import RuleViolation
from registry.eligibility import rules as eligibility
from registry.roster.query import AGE_BANDS, age_band
from registry.units.tree import UnitTree

_CHUNK = 900
OTHER = "khac"
LEVEL_WORDS = {UnitKind.TINH: "tỉnh", UnitKind.HUYEN: "huyện", UnitKind.XA: "xã"}


@dataclass
class Line:
    """One row: a set of people and the counts made of them."""

    label: str
    unit_id: int | None
    people: set[int] = field(default_factory=set)
    bcv: set[int] = field(default_factory=set)
    ttv: set[int] = field(default_factory=set)
    counts: Counter = field(default_factory=Counter)

    def count(self, key: str) -> int:
        return self.counts[key]


@dataclass
class Report:
    root_name: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    lines: list[Line]
    total: Line
    without_ttv: list[tuple[str, str]]  # (unit, its district) as of the date
    llct: list[tuple[str, str]]         # (code, name) columns, "khac" last
    education: list[tuple[str, str]]
    ages: list[tuple[str, str]]


def build(root_id: int, start: dt.date, end: dt.date, as_of: dt.date) -> Report:
    """The report of `root_id`'s subtree as it stood on `as_of` (people in the actor's scope)."""
    if end < start:
        raise RuleViolation("end", "Ngày kết thúc kỳ báo cáo không được trước ngày bắt đầu.")
    tree = UnitTree(as_of)
    root = tree.nodes.get(root_id)
    if root is None or not root.is_valid_on(as_of):
        name = root.name if root else "đã chọn"
        raise RuleViolation("as_of", f"Đơn vị «{name}» chưa có hoặc đã hết hiệu lực vào ngày "
                                     f"{as_of:%d/%m/%Y}; hãy chọn đơn vị khác hoặc ngày khác.")
    own = Line(f"{root.name} (cấp {LEVEL_WORDS.get(root.kind, 'đơn vị')})", root.id)
    lines, row_of = [own], {root.id: own}
    for child in tree.children(root.id, as_of):
        line = Line(child.name, child.id)
        lines.append(line)
        for unit_id in tree.subtree(child.id, as_of):
            row_of[unit_id] = line
    ttv_units = _fill(lines, row_of, as_of)
    total = Line("Tổng cộng", None)
    for line in lines:
        total.people |= line.people
        total.bcv |= line.bcv
        total.ttv |= line.ttv
    _attributes([*lines, total], start, end, as_of)
    return Report(root.name, start, end, as_of, lines, total,
                  _without_ttv(tree, list(row_of), ttv_units, as_of),
                  refdata.choices("political_theory") + [(OTHER, "Chưa có thông tin")],
                  refdata.choices("education") + [(OTHER, "Khác, chưa rõ")],
                  [(k, label) for k, (label, _lo, _hi) in AGE_BANDS.items()])


def _fill(lines: list[Line], row_of: dict[int, Line], as_of: dt.date) -> set[int]:
    """Active appointments on the date into their rows; returns the units holding a TTV."""
    ttv_units: set[int] = set()
    units = list(row_of)
    stmt = sa.select(Appointment.person_id, Appointment.role, Appointment.unit_id).where(
        Appointment.active_on_clause(as_of), Appointment.unit_id.in_(units))
    for pid, role, unit_id in db.session.execute(stmt):
        line = row_of[unit_id]
        line.people.add(pid)
        (line.bcv if role is Role.BCV else line.ttv).add(pid)
        if role is Role.TTV:
            ttv_units.add(unit_id)
    return ttv_units


def _attributes(lines: list[Line], start: dt.date, end: dt.date, as_of: dt.date) -> None:
    ids = sorted(lines[-1].people)
    facts: dict[int, set[str]] = {pid: set() for pid in ids}
    education = refdata.ref_codes(db.session, "education", with_codes=True)
    for start_i in range(0, len(ids), _CHUNK):
        chunk = ids[start_i:start_i + _CHUNK]
        for p in db.session.execute(sa.select(
                Person.id, Person.gender, Person.ethnicity, Person.party_member,
                Person.party_join_date, Person.political_theory, Person.education, Person.dob)
                .where(Person.id.in_(chunk))):
            facts[p.id] |= _person_keys(p, as_of, education)
        for key, found in _events(chunk, start, end).items():
            for pid in found:
                facts[pid].add(key)
    for line in lines:
        line.counts.update({"people": len(line.people), "bcv": len(line.bcv),
                            "ttv": len(line.ttv)})
        for pid in line.people:
            line.counts.update(facts.get(pid, ()))


def _person_keys(p, as_of: dt.date, education: dict[str, str]) -> set[str]:
    keys = {f"llct:{p.political_theory or OTHER}",
            f"edu:{education.get(fold_case(p.education or ''), OTHER)}",
            f"age:{age_band(p.dob, as_of)}"}
    if p.gender is not None and p.gender.value == "Nữ":
        keys.add("women")
    if p.ethnicity and fold_case(p.ethnicity) != "kinh":
        keys.add("minority")
    if p.party_member and (p.party_join_date is None or p.party_join_date <= as_of):
        keys.add("party")
    return keys


def _events(ids: list[int], start: dt.date, end: dt.date) -> dict[str, set[int]]:
    """Who completed a counted course, was commended, was disciplined in the period."""
    kinds = eligibility.Rules.load().course_kinds
    trained = sa.select(Attendance.person_id).join(Course, Course.id == Attendance.course_id) \
        .where(Attendance.person_id.in_(ids), Attendance.result.in_(eligibility.COMPLETED),
               Course.kind.in_(kinds), Course.end_date.between(start, end))
    commended = sa.select(Commendation.person_id).where(
        Commendation.person_id.in_(ids), commended_in(start, end))
    disciplined = sa.select(Discipline.person_id).where(
        Discipline.person_id.in_(ids), disciplined_in(start, end))
    return {key: set(db.session.execute(stmt).scalars()) for key, stmt in
            (("trained", trained), ("commended", commended), ("disciplined", disciplined))}


def commended_in(start: dt.date, end: dt.date):
    """Commendations of the period: decided in it, or of its years when the date is unknown."""
    return sa.or_(Commendation.decision_date.between(start, end),
                  sa.and_(Commendation.decision_date.is_(None),
                          Commendation.year.between(start.year, end.year)))


def disciplined_in(start: dt.date, end: dt.date):
    """Disciplines taking effect in the period."""
    return Discipline.effective_from.between(start, end)


def _without_ttv(tree: UnitTree, unit_ids: list[int], ttv_units: set[int],
                 as_of: dt.date) -> list[tuple[str, str]]:
    """Grassroots units valid on the date with no active TTV in their subtree."""
    out = []
    for unit_id in unit_ids:
        node = tree.nodes[unit_id]
        if node.kind not in (UnitKind.XA, UnitKind.THON):
            continue
        if not any(u in ttv_units for u in tree.subtree(unit_id, as_of)):
            out.append((node.name, tree.district_name(unit_id)))
    return out
