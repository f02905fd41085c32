"""Đủ tiêu chuẩn: THE function that decides whether a person qualifies for a role and level on a
date, with every reason when not. The person page, the roster filter, the training-overdue list
and the export's qualification lists all call `judge` (directly or through the bulk helpers).

Rules (thresholds are settings, see registry.settings.service):
1. an appointment of that role and level active on the date;
2. political theory (LLCT) at least the minimum set for the role and level;
3. chuyên môn at least the minimum set for the role and level (none by default);
4. party membership (on the date) where the role and level require it;
5. a completed training (course kinds counted by the settings) that ended within N months;
6. no discipline of the threshold form (khiển trách) or heavier in force on the date, and never
   a khai trừ: it has no end and no list may leave it out;
7. not rated "không hoàn thành nhiệm vụ" N years running (N a setting, 0: not checked). The run
   ends with the year of the date when that year is already rated, else with the year before
   it (the last completed year); each of the N years must be rated so, a year without a rating
   breaks the run.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from imports.text import fold_case_and_diacritics
from models import (
    Attendance,
    Course,
    CourseKind,
    Discipline,
    DisciplineSystem,
    Evaluation,
    EvaluationRating,
    Level,
    Person,
    Role,
    TrainingResult,
    db,
)
from registry import refdata
from registry.core.dates import add_months
from registry.records.service import EXPULSION
from registry.settings import service as settings_svc

COMPLETED = [r for r in TrainingResult if r.completed]
_CHUNK = 500


@dataclass
class Verdict:
    ok: bool
    reasons: list[str] = field(default_factory=list)


@dataclass
class Rules:
    """Settings and reference ordinals, read once per evaluation batch."""

    window_months: int
    course_kinds: list[CourseKind]
    min_llct: dict[str, str | None]
    min_professional: dict[str, str | None]
    party_required: dict[str, bool]
    threshold: int
    llct: dict[str, tuple[int, str]]            # code -> (ordinal, name)
    discipline_forms: dict[str, tuple[int, str]]
    professional: dict[str, tuple[int, str]]
    # Saved lists may leave a rule out (registry.lists.qualification); settings never do.
    check_training: bool = True
    check_discipline: bool = True
    fail_years: int = 0  # years of "không hoàn thành nhiệm vụ" running that propose removal

    @classmethod
    def load(cls) -> Rules:
        s = settings_svc.current()
        ref = {kind: {c: (o, n) for c, o, n in refdata.ranked(kind)}
               for kind in ("political_theory", "discipline_form", "professional")}
        forms = ref["discipline_form"]
        return cls(window_months=int(s["training_window_months"]),
                   course_kinds=[k for k in CourseKind if k.value in s["training_kinds"]],
                   min_llct=dict(s["min_llct"]), min_professional=dict(s["min_professional"]),
                   party_required=dict(s["party_required"]),
                   threshold=forms.get(s["discipline_threshold"], (3, ""))[0],
                   llct=ref["political_theory"], discipline_forms=forms,
                   professional=ref["professional"],
                   fail_years=int(s["evaluation_fail_years"]))

    def cutoff(self, on: dt.date) -> dt.date:
        return add_months(on, -self.window_months)


@dataclass
class Facts:
    """What the rules look at for one person as of a date."""

    person: Person
    last_training: dt.date | None = None  # end of the latest counted, completed course ≤ date
    disciplines: list[Discipline] = field(default_factory=list)  # in force on the date
    ratings: dict[int, EvaluationRating] = field(default_factory=dict)  # year -> rating


def role_label(role: Role, level: Level) -> str:
    return f"{role.label} {level.phrase}"


def judge(facts: Facts, role: Role, level: Level, on: dt.date, rules: Rules) -> Verdict:
    """Apply every rule; the verdict lists all reasons, in the order of the rules."""
    person, reasons = facts.person, []
    label, key = role_label(role, level), f"{role.value}:{level.value}"
    if not any(a.role is role and a.level is level and a.is_active_on(on)
               for a in person.appointments):
        reasons.append(f"Không có bổ nhiệm {label} đang hoạt động vào ngày {on:%d/%m/%Y}.")
    reasons += _llct_reasons(person, rules.min_llct.get(key), rules)
    reasons += _professional_reasons(person, rules.min_professional.get(key), rules)
    if rules.party_required.get(key, False) and not _party_member_on(person, on):
        reasons.append(f"Chưa là đảng viên (tiêu chuẩn của {label}).")
    if rules.check_training and (facts.last_training is None
                                 or facts.last_training < rules.cutoff(on)):
        last = (f" Lần gần nhất kết thúc ngày {facts.last_training:%d/%m/%Y}."
                if facts.last_training else "")
        reasons.append(f"Chưa hoàn thành khóa bồi dưỡng, tập huấn nào trong "
                       f"{rules.window_months} tháng tính đến ngày {on:%d/%m/%Y}.{last}")
    for d in facts.disciplines:
        ordinal, name = rules.discipline_forms.get(d.form, (0, d.form))
        counted = d.form == EXPULSION or (rules.check_discipline and ordinal >= rules.threshold)
        if counted and d.in_force_on(on):
            reasons.append(_discipline_reason(d, name))
    if rules.fail_years and (years := failed_run(facts.ratings, on, rules.fail_years)):
        reasons.append(f"Không hoàn thành nhiệm vụ {len(years)} năm liền "
                       f"({', '.join(map(str, years))}): đề nghị đưa ra khỏi danh sách.")
    return Verdict(ok=not reasons, reasons=reasons)


def failed_run(ratings: dict[int, EvaluationRating], on: dt.date, n: int) -> list[int]:
    """The `n` years ending with the last rated year as of `on` (its own year once rated, else
    the year before) when every one of them is rated "không hoàn thành"; else []."""
    last = on.year if on.year in ratings else on.year - 1
    years = list(range(last - n + 1, last + 1))
    failed = all(ratings.get(y) is EvaluationRating.KHONG_HOAN_THANH for y in years)
    return years if n > 0 and failed else []


def _llct_reasons(person: Person, need: str | None, rules: Rules) -> list[str]:
    if not need or need not in rules.llct:
        return []
    need_ord, need_name = rules.llct[need]
    if not person.political_theory:
        return [f"Chưa có thông tin trình độ lý luận chính trị (tối thiểu: {need_name})."]
    if person.political_theory not in rules.llct:
        return [f"Trình độ lý luận chính trị «{person.political_theory}» không có trong danh mục."]
    have_ord, have_name = rules.llct[person.political_theory]
    if have_ord < need_ord:
        return [f"Trình độ lý luận chính trị {have_name} thấp hơn mức tối thiểu {need_name}."]
    return []


def _professional_reasons(person: Person, need: str | None, rules: Rules) -> list[str]:
    if not need or need not in rules.professional:
        return []
    need_ord, need_name = rules.professional[need]
    text = (person.professional or "").strip()
    if not text:
        return [f"Chưa có thông tin trình độ chuyên môn (tối thiểu: {need_name})."]
    # Chuyên môn is free text ("Đại học Luật"): its level is read from the words it starts
    # with; the labels are read (once per request) only when a minimum asks for them.
    have = professional_level(text, refdata.labels("professional"))
    if have is None:
        return [f"Không xác định được trình độ chuyên môn từ «{text}» (tối thiểu: {need_name}); "
                "hãy ghi trình độ đào tạo ở đầu, ví dụ «Đại học Luật»."]
    have_ord, have_name = rules.professional[have]
    if have_ord < need_ord:
        return [f"Trình độ chuyên môn {have_name} thấp hơn mức tối thiểu {need_name}."]
    return []


def professional_level(text: str, labels: list[tuple[str, str]]) -> str | None:
    """The level code a chuyên môn starts with ("Cử nhân Luật" → dai_hoc), or None. A label
    must end at a word boundary, so that a longer word is never read as a shorter level."""
    folded = fold_case_and_diacritics(text)
    for label, code in labels:
        if folded.startswith(label) and not folded[len(label):len(label) + 1].isalnum():
            return code
    return None


def _party_member_on(person: Person, on: dt.date) -> bool:
    return person.party_member and (person.party_join_date is None or person.party_join_date <= on)


def discipline_text(d: Discipline, rules: Rules) -> str:
    """How the verdicts word a discipline in force (any form, below the threshold too)."""
    return _discipline_reason(d, rules.discipline_forms.get(d.form, (0, d.form))[1])


def _discipline_reason(d: Discipline, name: str) -> str:
    until = f"đến ngày {d.effective_until:%d/%m/%Y}" if d.effective_until else "không thời hạn"
    decision = f", quyết định số {d.decision_no}" if d.decision_no else ""
    system = DisciplineSystem(d.system).label
    return (f"Đang trong thời hạn kỷ luật {name} ({system}) từ ngày "
            f"{d.effective_from:%d/%m/%Y} {until}{decision}.")


def gather(persons: list[Person], on: dt.date, rules: Rules) -> dict[int, Facts]:
    """Facts for many people with two queries per chunk (latest training, disciplines in force),
    and a third for the ratings when the removal rule is on."""
    facts = {p.id: Facts(p) for p in persons}
    ids = list(facts)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        for pid, last in _last_trainings(chunk, on, rules).items():
            facts[pid].last_training = last
        ruling = sa.select(Discipline).where(Discipline.person_id.in_(chunk),
                                             Discipline.in_force_clause(on))
        for d in db.session.execute(ruling).scalars():
            facts[d.person_id].disciplines.append(d)
        if rules.fail_years:
            _load_ratings(facts, chunk, on, rules.fail_years)
    return facts


def _load_ratings(facts: dict[int, Facts], ids: list[int], on: dt.date, years: int) -> None:
    """The ratings the removal rule looks at (the years up to `on`'s), for many people at once."""
    stmt = (sa.select(Evaluation.person_id, Evaluation.year, Evaluation.rating)
            .where(Evaluation.person_id.in_(ids), Evaluation.year.between(on.year - years,
                                                                          on.year)))
    for pid, year, rating in db.session.execute(stmt):
        facts[pid].ratings[year] = rating


def _last_trainings(ids: list[int], on: dt.date, rules: Rules) -> dict[int, dt.date]:
    """End of each person's latest counted, completed course ending on or before `on`."""
    stmt = (sa.select(Attendance.person_id, sa.func.max(Course.end_date))
            .join(Course, Course.id == Attendance.course_id)
            .where(Attendance.person_id.in_(ids), Attendance.result.in_(COMPLETED),
                   Course.kind.in_(rules.course_kinds), Course.end_date <= on)
            .group_by(Attendance.person_id))
    return dict(db.session.execute(stmt).tuples().all())


def last_trainings(ids: list[int], on: dt.date, rules: Rules | None = None) -> dict[int, dt.date]:
    """The facts' latest counted, completed course (its end) for many people, by chunk."""
    rules = rules or Rules.load()
    found: dict[int, dt.date] = {}
    for start in range(0, len(ids), _CHUNK):
        found.update(_last_trainings(ids[start:start + _CHUNK], on, rules))
    return found


def trained_ids(ids: list[int], on: dt.date, months: int | None = None,
                rules: Rules | None = None) -> set[int]:
    """Of `ids`, those who meet the training rule on `on` (a counted course completed within
    the settings' window, or within `months`), with one query per chunk of people."""
    rules = rules or Rules.load()
    cutoff = add_months(on, -(rules.window_months if months is None else months))
    found: set[int] = set()
    for start in range(0, len(ids), _CHUNK):
        found.update(pid for pid, last in _last_trainings(ids[start:start + _CHUNK], on, rules)
                     .items() if last >= cutoff)
    return found


def evaluate(person: Person, role: Role, level: Level, on: dt.date | None = None,
             rules: Rules | None = None) -> Verdict:
    """Does `person` qualify as `role` of `level` on `on` (today by default)? With every reason."""
    on = on or dt.date.today()
    rules = rules or Rules.load()
    return judge(gather([person], on, rules)[person.id], role, level, on, rules)


def role_levels_of(person: Person, on: dt.date) -> list[tuple[Role, Level]]:
    """The distinct (role, level) of the person's appointments active on `on`."""
    seen: list[tuple[Role, Level]] = []
    for a in person.active_appointments(on):
        if (a.role, a.level) not in seen:
            seen.append((a.role, a.level))
    return seen


def verdicts(persons: list[Person], on: dt.date | None = None, rules: Rules | None = None,
             ) -> dict[int, list[tuple[Role, Level, Verdict]]]:
    """For each person, the verdict for every role and level they hold on `on`."""
    on = on or dt.date.today()
    rules = rules or Rules.load()
    facts = gather(persons, on, rules)
    return {p.id: [(r, lv, judge(facts[p.id], r, lv, on, rules)) for r, lv in role_levels_of(p, on)]
            for p in persons}


def _load_people(ids: list[int]) -> list[Person]:
    people: dict[int, Person] = {}
    for start in range(0, len(ids), _CHUNK):
        stmt = (sa.select(Person).where(Person.id.in_(ids[start:start + _CHUNK]))
                .options(selectinload(Person.appointments)))
        people.update({p.id: p for p in db.session.execute(stmt).scalars()})
    return [people[i] for i in ids if i in people]


def filter_ids(ids: list[int], qualified: bool, on: dt.date, role: Role | None = None,
               level: Level | None = None) -> list[int]:
    """Keep, in order, the people who qualify (or not) for every active role and level they
    hold that matches `role`/`level`; someone holding none of them does not qualify."""
    rules = Rules.load()
    people = _load_people(ids)
    facts = gather(people, on, rules)
    kept = []
    for p in people:
        pairs = [(r, lv) for r, lv in role_levels_of(p, on)
                 if (role is None or r is role) and (level is None or lv is level)]
        ok = bool(pairs) and all(judge(facts[p.id], r, lv, on, rules).ok for r, lv in pairs)
        if ok == qualified:
            kept.append(p.id)
    return kept


@dataclass
class Overdue:
    person: Person
    last_training: dt.date | None


def training_overdue(ids: list[int], on: dt.date | None = None,
                     months: int | None = None) -> list[Overdue]:
    """Of the given people (in order), those with no counted, completed training in N months
    (the settings' N, or `months`)."""
    on = on or dt.date.today()
    rules = Rules.load()
    people = _load_people(ids)
    facts = gather(people, on, rules)
    cutoff = add_months(on, -(rules.window_months if months is None else months))
    return [Overdue(p, facts[p.id].last_training) for p in people
            if facts[p.id].last_training is None or facts[p.id].last_training < cutoff]


@dataclass
class Standing:
    """What the person page shows: a verdict per current role and level, and the training flag."""

    verdicts: list[tuple[Role, Level, Verdict]]
    last_training: dt.date | None
    training_overdue: bool
    window_months: int


def standing(person: Person, on: dt.date | None = None) -> Standing:
    on = on or dt.date.today()
    rules = Rules.load()
    facts = gather([person], on, rules)[person.id]
    found = [(r, lv, judge(facts, r, lv, on, rules)) for r, lv in role_levels_of(person, on)]
    return Standing(found, facts.last_training,
                    facts.last_training is None or facts.last_training < rules.cutoff(on),
                    rules.window_months)
