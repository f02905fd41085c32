"""Báo cáo sơ kết, tổng kết: the team and its work over a period, for a unit's subtree as it
stood at the period's end, one row per unit under it and the total, compared with the previous
period of the same length.

Every figure comes from a few grouped queries (registry.reports.period_sources) whatever the
number of units or people, each row keyed by a unit or by a person. A unit's row is the row of
the unit (or of the nearest ancestor, or for a unit ended by then of its successor) in the tree
of the period's end; a person's is that of their appointment active at the end, else of their
latest one, else of their own unit. Team numbers are the team report's (team_report.build).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from models import Appointment, EndReason, EvaluationRating, Person, Unit, db, unit_successors
from registry.core.dates import add_months
from registry.core.rules import RuleViolation
from registry.reports import period_sources, team_report
from registry.units import asof
from registry.units.tree import UnitTree

# A report spans at most this many years: beyond it the comparison means little and the
# queries grow long.
MAX_YEARS = 10
TEAM_KEYS = ("people", "bcv", "ttv", "women", "minority", "party")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    share: tuple[str, str] | None = None  # (part, whole): a percentage of two other figures


def _team() -> list[Figure]:
    labels = ("Tổng số báo cáo viên, tuyên truyền viên", "Báo cáo viên", "Tuyên truyền viên",
              "Nữ", "Người dân tộc thiểu số", "Đảng viên")
    return [Figure(k, label) for k, label in zip(TEAM_KEYS, labels, strict=True)]


SECTIONS: list[tuple[str, list[Figure]]] = [
    ("I. Số lượng, chất lượng đội ngũ (tính đến ngày cuối kỳ)", _team()),
    ("II. Biến động đội ngũ", [
        Figure("added", "Được công nhận mới trong kỳ"),
        Figure("removed", "Thôi, đưa ra khỏi danh sách trong kỳ"),
        *[Figure(f"removed:{r.value}", f"– {r.label}") for r in EndReason],
        Figure("removed:none", "– Chưa ghi lý do")]),
    ("III. Bồi dưỡng, tập huấn", [
        Figure("courses", "Lớp bồi dưỡng, tập huấn kết thúc trong kỳ"),
        Figure("trainees", "Lượt người tham dự"),
        Figure("completed", "Lượt hoàn thành")]),
    ("IV. Hội nghị báo cáo viên", [
        Figure("conferences", "Hội nghị đã tổ chức"),
        Figure("points", "Điểm cầu"),
        Figure("participants", "Người dự tại các điểm cầu"),
        Figure("conf_expected", "Lượt báo cáo viên phải dự"),
        Figure("conf_attended", "Lượt báo cáo viên đã dự"),
        Figure("conf_missed", "Lượt báo cáo viên vắng"),
        Figure("conf_rate", "Tỷ lệ báo cáo viên dự (%)", ("conf_present", "conf_expected"))]),
    ("V. Cung cấp thông tin", [
        Figure("documents", "Văn bản, tài liệu ban hành"),
        Figure("distributions", "Lượt gửi đến báo cáo viên, tuyên truyền viên"),
        Figure("received", "Lượt đã nhận"),
        Figure("received_rate", "Tỷ lệ đã nhận (%)", ("received", "distributions"))]),
    ("VI. Tuyên truyền miệng", [
        Figure("sessions", "Buổi tuyên truyền"),
        Figure("audience", "Lượt người nghe"),
        Figure("sessions:truc_tiep", "– Buổi trực tiếp"),
        Figure("audience:truc_tiep", "– Người nghe trực tiếp"),
        Figure("sessions:truc_tuyen", "– Buổi trực tuyến"),
        Figure("audience:truc_tuyen", "– Người nghe trực tuyến")]),
    ("VII. Kênh trực tuyến", [
        Figure("channels", "Kênh đang hoạt động"),
        Figure("members", "Thành viên, người theo dõi (số gần nhất đến cuối kỳ)"),
        Figure("posts", "Bài đăng"),
        Figure("reach", "Lượt tiếp cận")]),
    ("VIII. Mô hình, khen thưởng, kỷ luật, đánh giá", [
        Figure("exemplary", "Mô hình hay, điển hình tiên tiến (theo năm công nhận)"),
        Figure("commended", "Lượt khen thưởng"),
        Figure("disciplined", "Lượt kỷ luật"),
        *[Figure(f"eval:{r.value}", f"Xếp loại: {r.label}") for r in EvaluationRating]]),
]
FIGURES = [f for _title, figs in SECTIONS for f in figs]


def value(counts: Counter, fig: Figure) -> float:
    """A figure's value from a row's counts: the count, or the share in % (0 of nothing)."""
    if fig.share is None:
        return counts[fig.key]
    part, whole = (counts[k] for k in fig.share)
    return round(100 * part / whole, 1) if whole else 0.0


@dataclass
class Row:
    label: str
    unit_id: int | None
    counts: Counter


@dataclass
class Period:
    unit_name: str
    start: dt.date
    end: dt.date
    rows: list[Row]
    total: Counter


@dataclass
class Report:
    current: Period
    previous: Period | None  # None when no unit stood for this one then
    prev_start: dt.date
    prev_end: dt.date

    @property
    def is_final(self) -> bool:
        """Tổng kết for a whole year or more, sơ kết otherwise."""
        return add_months(self.current.start, 12) - dt.timedelta(days=1) <= self.current.end

    def lines(self) -> list[tuple[str, list[tuple[Figure, float, float | None]]]]:
        """The sections: each figure with this period's value and the previous one's."""
        prev = self.previous.total if self.previous else None
        return [(title, [(f, value(self.current.total, f),
                          None if prev is None else value(prev, f)) for f in figs])
                for title, figs in SECTIONS]


def change(now: float, before: float | None) -> tuple[float | None, float | None]:
    """(difference, difference in % of the previous value); None where it has no meaning."""
    if before is None:
        return None, None
    diff = round(now - before, 1)
    return diff, (round(100 * diff / before, 1) if before else None)


def shown(n: float | None) -> str:
    """A figure as printed: "1.234", "85,7"; "—" for none."""
    if n is None:
        return "—"
    text = f"{abs(n):,.0f}" if float(n).is_integer() else f"{abs(n):,.1f}"
    return ("-" if n < 0 else "") + text.translate(str.maketrans(",.", ".,"))


def signed(n: float | None) -> str:
    """A change as printed: "+3", "−1,5", "0"; "—" for none."""
    if n is None:
        return "—"
    return ("+" if n > 0 else "−" if n < 0 else "") + shown(abs(n))


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length just before: whole months move by months (01/01–30/06 →
    01/07–31/12 of the year before; a year → the year before), other periods by days."""
    after_end = end + dt.timedelta(days=1)
    if start.day == 1 and after_end.day == 1:
        months = (after_end.year - start.year) * 12 + after_end.month - start.month
        return add_months(start, -months), start - dt.timedelta(days=1)
    return start - (after_end - start), start - dt.timedelta(days=1)


def check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise RuleViolation("to", "Ngày cuối kỳ không được trước ngày đầu kỳ.")
    if end > add_months(start, 12 * MAX_YEARS):
        raise RuleViolation("to", f"Kỳ báo cáo dài tối đa {MAX_YEARS} năm.")


def build(unit: Unit, start: dt.date, end: dt.date) -> Report:
    """The report of `unit` for the period, with the previous period's totals."""
    check_period(start, end)
    # A unit not yet (or no longer) in force at the end reports as the one standing for it then.
    current = gather(asof.unit_on(unit, end) or unit, start, end)
    prev_start, prev_end = previous_period(start, end)
    prev_unit = asof.unit_on(unit, prev_end)
    previous = gather(prev_unit, prev_start, prev_end) if prev_unit is not None else None
    return Report(current, previous, prev_start, prev_end)


def gather(unit: Unit, start: dt.date, end: dt.date) -> Period:
    """Every figure of the period per row of `unit`'s subtree as of `end`, and the total."""
    team = team_report.build(unit.id, start, end, end)
    rows = {line.unit_id: Row(line.label, line.unit_id, Counter()) for line in team.lines}
    finder = RowFinder(UnitTree(end), unit.id, end)
    person_row = _person_rows(finder, end)
    for by, ident, key, n in period_sources.records(start, end):
        row = finder.row(ident) if by == "unit" else person_row.get(ident)
        if row is not None and n:
            rows[row].counts[key] += n
    total: Counter = Counter()
    for row in rows.values():
        total.update(row.counts)
    for counts in (*[r.counts for r in rows.values()], total):
        counts["conf_present"] = counts["conf_expected"] - counts["conf_missed"]
    for line in team.lines:
        rows[line.unit_id].counts.update({k: line.count(k) for k in TEAM_KEYS})
    total.update({k: team.total.count(k) for k in TEAM_KEYS})  # a person once in the total
    return Period(team.root_name, start, end, list(rows.values()), total)


class RowFinder:
    """Which row of the report a unit's records go to (None: outside the report's unit)."""

    def __init__(self, tree: UnitTree, root_id: int, day: dt.date):
        self.tree = tree
        self.of: dict[int, int | None] = {root_id: root_id}
        for child in tree.children(root_id, day):
            self.of.update(dict.fromkeys(tree.subtree(child.id, day), child.id))
        self.successors: dict[int, list[int]] = {}
        for old, new in db.session.execute(
                sa.select(unit_successors.c.predecessor_id, unit_successors.c.successor_id)
                .order_by(unit_successors.c.is_default.desc(), unit_successors.c.successor_id)):
            self.successors.setdefault(old, []).append(new)

    def row(self, unit_id: int | None) -> int | None:
        if unit_id not in self.of:
            self.of[unit_id] = self._search(unit_id)
        return self.of[unit_id]

    def _search(self, unit_id: int | None) -> int | None:
        """The nearest ancestor holding a row; failing that, the same for its successors (a
        unit ended before the period's end reports under the unit that took it over)."""
        queue, seen = [unit_id], set()
        while queue:
            current = queue.pop(0)
            if current is None or current in seen or current not in self.tree.nodes:
                continue
            seen.add(current)
            chain = self.tree.ancestors(current)
            found = next((self.of[u] for u in chain if self.of.get(u) is not None), None)
            if found is not None:
                return found
            for u in chain:
                queue.extend(self.successors.get(u, ()))
        return None

    def unit_ids(self) -> list[int]:
        """Every unit whose records land in a row."""
        return [u for u in self.tree.nodes if self.row(u) is not None]


def _person_rows(finder: RowFinder, end: dt.date) -> dict[int, int]:
    """Person id -> row: their appointment active at `end`, else their latest one started by
    then, else their own unit (two queries, people of the report's units only)."""
    units = finder.unit_ids()
    home: dict[int, int] = dict(db.session.execute(
        sa.select(Person.id, Person.unit_id).where(Person.unit_id.in_(units))).tuples().all())
    active = sa.case((Appointment.active_on_clause(end), 1), else_=0)
    latest = db.session.execute(
        sa.select(Appointment.person_id, Appointment.unit_id)
        .where(Appointment.start_date <= end, Appointment.unit_id.in_(units))
        .order_by(Appointment.person_id, active, Appointment.start_date, Appointment.id))
    home.update(latest.tuples().all())  # the last of each person wins
    return {pid: row for pid, unit_id in home.items()
            if (row := finder.row(unit_id)) is not None}
