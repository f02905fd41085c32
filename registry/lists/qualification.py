"""Qualification lists (danh sách đủ tiêu chuẩn, and the others offices ask for): saved criteria
and the ready-made lists, evaluated with THE eligibility function (registry.eligibility.rules).

A list looks at the people in the actor's scope (and the chosen unit's subtree) holding an
appointment of the role and level active on the list's date. Criteria adjust the eligibility
rules (minimum LLCT and chuyên môn, party membership, the training window, the discipline
rule) and may add an age range; every person gets a verdict with every reason, in or out.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from models import Evaluation, Level, Person, Role, SavedList, db
from registry.eligibility import rules as eligibility
from registry.lists import criteria_text
from registry.roster.query import RosterFilter, age_cutoffs, filtered_ids
from registry.settings.service import ROLE_LEVELS, role_level_key

_CHUNK = 500


@dataclass
class Criteria:
    role: Role | None = None
    level: Level | None = None
    unit_id: int | None = None          # the subtree looked at (None: the whole scope)
    min_llct: str | None = None         # None: the settings' minimum for each role and level
    min_professional: str | None = None  # None: the settings' minimum (chuyên môn), likewise
    party_required: bool | None = None  # None: settings; True: required; False: not checked
    training_months: int | None = None  # None: settings' window; 0: not checked
    no_discipline: bool = True          # the discipline rule (threshold from the settings)
    active_on: dt.date | None = None    # None: the day the list is opened
    age_min: int | None = None
    age_max: int | None = None

    @classmethod
    def of(cls, saved: SavedList) -> Criteria:
        return cls(saved.role, saved.level, saved.subtree_unit_id, saved.min_llct,
                   saved.min_professional, saved.party_required, saved.training_months,
                   saved.no_discipline, saved.active_on, saved.age_min, saved.age_max)

    def rules(self, base: eligibility.Rules) -> eligibility.Rules:
        """The settings' rules with this list's adjustments."""
        keys = [role_level_key(r, lv) for r, lv in ROLE_LEVELS]
        rules = replace(base, min_llct=dict(base.min_llct),
                        min_professional=dict(base.min_professional),
                        party_required=dict(base.party_required))
        if self.min_llct:
            rules.min_llct = dict.fromkeys(keys, self.min_llct)
        if self.min_professional:
            rules.min_professional = dict.fromkeys(keys, self.min_professional)
        if self.party_required is not None:
            rules.party_required = dict.fromkeys(keys, self.party_required)
        if self.training_months == 0:
            rules.check_training = False
        elif self.training_months is not None:
            rules.window_months = self.training_months
        rules.check_discipline = self.no_discipline
        return rules

    def describe(self, unit_name: str | None = None,
                 base: eligibility.Rules | None = None) -> list[str]:
        """The criteria in words, each with its value (the settings' when left to them), for
        the page and the file."""
        lines = criteria_text.describe(self, unit_name, base or eligibility.Rules.load())
        if self.age_min is not None or self.age_max is not None:
            lines.append(f"Tuổi: {_age_range(self.age_min, self.age_max)}")
        return lines


@dataclass
class Entry:
    person: Person
    included: bool
    reasons: list[str] = field(default_factory=list)  # why out; for lists "of a fact", why in
    verdicts: list[str] = field(default_factory=list)  # one line per role and level held
    last_rating: str = ""  # the latest yearly rating up to the list's date: "2025: Hoàn thành…"

    @property
    def note(self) -> str:
        """For the file's "Ghi chú": the reasons, or the verdicts when there is none."""
        return " ".join(self.reasons) or "; ".join(self.verdicts)


@dataclass
class Outcome:
    title: str
    day: dt.date
    lines: list[str]
    entries: list[Entry]
    role: Role | None = None
    level: Level | None = None
    in_label: str = "Đủ tiêu chuẩn"
    out_label: str = "Chưa đủ tiêu chuẩn"
    outs_in_file: bool = True  # the file lists the people left out too, with the reasons

    @property
    def members(self) -> list[Entry]:
        return [e for e in self.entries if e.included]

    @property
    def outsiders(self) -> list[Entry]:
        return [e for e in self.entries if not e.included]


def candidates(role: Role | None, level: Level | None, unit_id: int | None,
               day: dt.date) -> list[Person]:
    """People of the scope (and the unit's subtree) holding such an appointment on `day`,
    in roster order, with their appointments loaded (the roster query decides)."""
    f = RosterFilter(role=role.value if role else "", level=level.value if level else "",
                     unit=str(unit_id) if unit_id else "", status="active", on=day.isoformat())
    ids = filtered_ids(f, day)
    found: dict[int, Person] = {}
    for start in range(0, len(ids), _CHUNK):
        stmt = (sa.select(Person).where(Person.id.in_(ids[start:start + _CHUNK]))
                .options(selectinload(Person.appointments), joinedload(Person.unit)))
        found.update({p.id: p for p in db.session.execute(stmt).scalars()})
    return [found[i] for i in ids if i in found]


def evaluate(c: Criteria, title: str, today: dt.date | None = None,
             unit_name: str | None = None) -> Outcome:
    day = c.active_on or today or dt.date.today()
    people = candidates(c.role, c.level, c.unit_id, day)
    base = eligibility.Rules.load()
    rules = c.rules(base)
    facts = eligibility.gather(people, day, rules)
    entries = []
    for p in people:
        pairs = [(r, lv) for r, lv in eligibility.role_levels_of(p, day)
                 if c.role in (None, r) and c.level in (None, lv)]
        verdicts = [(r, lv, eligibility.judge(facts[p.id], r, lv, day, rules)) for r, lv in pairs]
        reasons = [reason for _r, _lv, v in verdicts for reason in v.reasons]
        if len(verdicts) > 1:
            reasons = [f"{eligibility.role_label(r, lv)}: {reason}"
                       for r, lv, v in verdicts for reason in v.reasons]
        reasons += _age_reasons(p, c, day)
        lines = [f"{eligibility.role_label(r, lv)}: "
                 + ("đủ tiêu chuẩn" if v.ok else "chưa đủ tiêu chuẩn") for r, lv, v in verdicts]
        entries.append(Entry(p, not reasons, reasons, lines))
    return with_ratings(Outcome(title, day, c.describe(unit_name, base), entries, c.role, c.level))


def last_ratings(ids: list[int], day: dt.date) -> dict[int, str]:
    """Each person's latest yearly rating up to `day`'s year, as "2025: <label>"."""
    found: dict[int, str] = {}
    for start in range(0, len(ids), _CHUNK):
        stmt = (sa.select(Evaluation.person_id, Evaluation.year, Evaluation.rating)
                .where(Evaluation.person_id.in_(ids[start:start + _CHUNK]),
                       Evaluation.year <= day.year).order_by(Evaluation.year))
        found.update((pid, f"{year}: {rating.label}")
                     for pid, year, rating in db.session.execute(stmt))
    return found


def with_ratings(outcome: Outcome) -> Outcome:
    """`outcome` with each entry's latest rating filled in (one query per chunk of people)."""
    ratings = last_ratings([e.person.id for e in outcome.entries], outcome.day)
    for e in outcome.entries:
        e.last_rating = ratings.get(e.person.id, "")
    return outcome


def _age_range(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"từ {low} đến {high}"
    return f"từ {low} trở lên" if low is not None else f"không quá {high}"


def _age_reasons(p: Person, c: Criteria, day: dt.date) -> list[str]:
    """The age range, with the roster's own cut-offs (age on the list's date)."""
    if c.age_min is None and c.age_max is None:
        return []
    if p.dob is None:
        return ["Chưa có ngày sinh để tính tuổi."]
    after, until = age_cutoffs(day, c.age_min, c.age_max)
    if (after is None or p.dob > after) and (until is None or p.dob <= until):
        return []
    age = day.year - p.dob.year - ((day.month, day.day) < (p.dob.month, p.dob.day))
    return [f"Tuổi {age} (ngày {day:%d/%m/%Y}) ngoài khoảng {_age_range(c.age_min, c.age_max)}."]

