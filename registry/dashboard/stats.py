"""The dashboard's figures, every one within the actor's scope and each tied to the roster filter
that lists exactly the people it counts (the figure is the roster query's own count).

Counts are of people active on the day (the roster's default list); by unit follows the people's
unit, as the roster's unit filter does. Training coverage over time: at the end of each of the
last quarters, the share of the people active then who meet the training rule then.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from models import Appointment, Attendance, Course, Gender, Person, Role, db
from registry import refdata
from registry.core import access
from registry.core.dates import add_months
from registry.eligibility import rules as eligibility
from registry.reports import period_sources
from registry.roster.query import AGE_BANDS, NONE, RosterFilter, age_band, build_query
from registry.units.tree import UnitTree

QUARTERS = 8
# The period report's sources the dashboard's activity figures need.
WORK_KINDS = ("sessions", "documents", "conferences", "attendance")


@dataclass
class Bar:
    label: str
    value: float
    args: dict            # the roster filter listing exactly these people
    shown: str = ""       # the value as printed ("12", "58%")
    detail: str = ""      # tooltip


@dataclass
class Chart:
    key: str
    title: str
    bars: list[Bar] = field(default_factory=list)
    note: str = ""


def _bar(label: str, value: int, **args) -> Bar:
    return Bar(label, value, {k: v for k, v in args.items() if v != ""},
               f"{value:,}".replace(",", "."), f"{label}: {value} người")


def headline_counts(day: dt.date) -> dict[str, int]:
    active = sa.select(Appointment.role, sa.func.count(sa.distinct(Appointment.person_id))) \
        .where(Appointment.active_on_clause(day)).group_by(Appointment.role)
    by_role = {role: n for role, n in db.session.execute(active)}
    total = db.session.execute(sa.select(sa.func.count(Person.id))).scalar_one()
    return {"persons": total, "bcv": by_role.get(Role.BCV, 0), "ttv": by_role.get(Role.TTV, 0)}


def charts(day: dt.date | None = None) -> list[Chart]:
    day = day or dt.date.today()
    on = "" if day == dt.date.today() else day.isoformat()
    people = db.session.execute(build_query(RosterFilter(on=on), day).with_only_columns(
        Person.id, Person.unit_id, Person.gender, Person.ethnicity, Person.political_theory,
        Person.dob).order_by(None)).all()
    return [_by_unit(people, day, on), _by_role(day, on), _by_gender(people, on),
            _by_ethnicity(people, on), _by_llct(people, on), _by_age(people, day, on),
            coverage(day)]


# Beyond this many units under the top (today's 96 communes of a province), units nobody
# works in are left out of the chart and counted in its note.
MANY_UNITS = 30


def _by_unit(people, day: dt.date, on: str) -> Chart:
    """People per unit under the top of the actor's tree as it stood on `day`: today the
    province's communes, in 2024 the districts of the province(s) of that time. On a past day a
    person counts where their appointments then were (as the roster's list of that date does),
    today in their own unit."""
    tree = UnitTree(day)
    chart = Chart("unit", "Theo đơn vị")
    scope = access.current_scope()
    tops = [n.id for n in tree.roots(day)]
    own = scope.unit_id if scope is not None else None
    if own and tree.nodes[own].is_valid_on(day):
        tops = [own]
    elif own and not scope.is_province:  # a commune of today asked about 2024
        tops = []
        chart.note = f"Đơn vị của bạn chưa có vào ngày {day:%d/%m/%Y}."
    units_of = _units_of(people, day) if on else {p.id: {p.unit_id} for p in people}
    hidden = 0
    for top in tops:
        bars, top_hidden = _unit_bars(tree, top, units_of, day, on)
        if any(b.value for b in bars) or len(tops) == 1:
            chart.bars += bars
            hidden += top_hidden
    if hidden:
        chart.note = f"{hidden} đơn vị chưa có ai đang hoạt động không hiển thị."
    return chart


def _unit_bars(tree: UnitTree, top: int, units_of: dict[int, set[int]], day: dt.date,
               on: str) -> tuple[list[Bar], int]:
    """The top's own people, then one bar per unit under it; and how many were left out."""
    kids = tree.children(top, day)
    row_of = {top: None}
    for child in kids:
        row_of.update(dict.fromkeys(tree.subtree(child.id, day), child.id))
    counts: Counter = Counter()
    for units in units_of.values():
        counts.update({row_of[u] for u in units if u in row_of})
    bars = []
    if counts.get(None):
        bars.append(_bar(f"{tree.name(top)} (trực thuộc)", counts[None], unit=top, own="1", on=on))
    shown = [c for c in kids if len(kids) <= MANY_UNITS or counts.get(c.id)]
    bars += [_bar(c.name, counts.get(c.id, 0), unit=c.id, on=on) for c in shown]
    return bars, len(kids) - len(shown)


def _units_of(people, day: dt.date) -> dict[int, set[int]]:
    """Person id -> the units of their appointments active on `day`."""
    ids = [p.id for p in people]
    found: dict[int, set[int]] = {}
    for start in range(0, len(ids), 900):
        for pid, unit_id in db.session.execute(
                sa.select(Appointment.person_id, Appointment.unit_id).where(
                    Appointment.person_id.in_(ids[start:start + 900]),
                    Appointment.active_on_clause(day))):
            found.setdefault(pid, set()).add(unit_id)
    return found


def _by_role(day: dt.date, on: str) -> Chart:
    stmt = (sa.select(Appointment.role, sa.func.count(sa.distinct(Appointment.person_id)))
            .where(Appointment.active_on_clause(day)).group_by(Appointment.role))
    found = dict(db.session.execute(stmt).tuples().all())
    return Chart("role", "Theo vai trò", [_bar(r.label, found.get(r, 0), role=r.value, on=on)
                                          for r in Role],
                 "Người giữ cả hai vai trò được tính ở cả hai cột.")


def _by_gender(people, on: str) -> Chart:
    counts = Counter(p.gender for p in people)
    bars = [_bar(g.label, counts.get(g, 0), gender=g.value, on=on) for g in Gender]
    if counts.get(None):
        bars.append(_bar("Chưa rõ", counts[None], gender=NONE, on=on))
    return Chart("gender", "Theo giới tính", bars)


def _by_ethnicity(people, on: str) -> Chart:
    counts = Counter(p.ethnicity for p in people)
    order = {name: i for i, (_code, name) in enumerate(refdata.choices("ethnicity"))}
    bars = [_bar(name or "Chưa rõ", n, ethnicity=name or NONE, on=on)
            for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99)))]
    return Chart("ethnicity", "Theo dân tộc", bars)


def _by_llct(people, on: str) -> Chart:
    counts = Counter(p.political_theory for p in people)
    bars = [_bar(name, counts.get(code, 0), llct=code, on=on)
            for code, name in refdata.choices("political_theory")]
    bars.append(_bar("Chưa có thông tin", counts.get(None, 0), llct=NONE, on=on))
    known = {code for code, _name in refdata.choices("political_theory")}
    other = sum(n for code, n in counts.items() if code is not None and code not in known)
    return Chart("llct", "Theo trình độ lý luận chính trị", bars,
                 f"{other} người có trình độ ngoài danh mục." if other else "")


def _by_age(people, day: dt.date, on: str) -> Chart:
    counts = Counter(age_band(p.dob, day) for p in people)
    return Chart("age", "Theo độ tuổi", [_bar(label, counts.get(key, 0), age=key, on=on)
                                         for key, (label, _lo, _hi) in AGE_BANDS.items()
                                         if key != NONE or counts.get(key)])


def quarter_ends(day: dt.date, count: int = QUARTERS) -> list[dt.date]:
    """The last day of each of the `count` quarters up to the one holding `day` (that one ends
    on `day` itself), oldest first."""
    first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    ends = [day]
    for i in range(1, count):
        ends.append(add_months(first, -3 * (i - 1)) - dt.timedelta(days=1))
    return sorted(ends)


def coverage(day: dt.date) -> Chart:
    rules = eligibility.Rules.load()
    chart = Chart("coverage", "Tỷ lệ đã bồi dưỡng theo thời gian",
                  note=f"Tỷ lệ BCV, TTV đang hoạt động đã hoàn thành khóa bồi dưỡng, tập huấn "
                       f"trong {rules.window_months} tháng tính đến cuối mỗi quý.")
    for end in quarter_ends(day):
        active, trained = _coverage_counts(end, rules)
        share = round(100 * trained / active) if active else 0
        label = f"Q{(end.month - 1) // 3 + 1}/{end.year}" if end != day else "Hiện nay"
        chart.bars.append(Bar(label, share, {"on": end.isoformat(), "trained": "1"},
                              f"{share}%", f"{label}: {trained}/{active} người đã bồi dưỡng"))
    return chart


def trained_clause(end: dt.date, rules: eligibility.Rules) -> sa.Exists:
    """eligibility.trained_ids' rule on `end` as an EXISTS on the person (one aggregate query
    instead of a query per chunk of people)."""
    return sa.exists().where(
        Attendance.person_id == Person.id, Attendance.result.in_(eligibility.COMPLETED),
        Course.id == Attendance.course_id, Course.kind.in_(rules.course_kinds),
        Course.end_date <= end, Course.end_date >= rules.cutoff(end))


def _coverage_counts(end: dt.date, rules: eligibility.Rules) -> tuple[int, int]:
    """People on the roster at `end`, and how many of them meet the training rule then."""
    trained = trained_clause(end, rules)
    stmt = build_query(RosterFilter(on=end.isoformat()), end).with_only_columns(
        sa.func.count(Person.id), sa.func.sum(sa.case((trained, 1), else_=0))).order_by(None)
    active, done = db.session.execute(stmt).one()
    return active, done or 0


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def work_figures(day: dt.date) -> dict[str, int | None]:
    """This year's work up to `day` in the actor's scope, counted as the period report counts
    it (registry.reports.period_sources): sessions and audience by form, documents and their
    receipt, conferences and the share of expected BCV attendances made."""
    total: Counter = Counter()
    for _by, _id, key, n in period_sources.records(dt.date(day.year, 1, 1), day, WORK_KINDS):
        total[key] += n
    expected = total["conf_expected"]
    figures = {key.replace(":truc_tiep", "_direct").replace(":truc_tuyen", "_online"): total[key]
               for key in ("sessions", "audience", "sessions:truc_tiep", "audience:truc_tiep",
                           "sessions:truc_tuyen", "audience:truc_tuyen", "documents",
                           "distributions", "received", "conferences", "conf_expected")}
    figures["received_pct"] = _share(total["received"], total["distributions"])
    figures["conf_pct"] = _share(expected - total["conf_missed"], expected)
    figures["year"] = day.year
    return figures
