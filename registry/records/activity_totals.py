"""The arithmetic of the activity totals, without the database: sessions and audience overall,
by form, by topic (the ten most frequent, the rest together), by unit and by month.

A session given by several presenters is one row per presenter sharing a `session_key`: it
counts once as a session, and its audience once (the largest figure its rows give, should they
differ after an edit). Counts per person (elsewhere) still count every presenter."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from imports.text import fold_case_and_diacritics
from models import DeliveryForm

TOP_TOPICS = 10
OTHER_TOPICS = "Các chủ đề khác"


class Row(NamedTuple):
    """What the totals read of one activity row."""

    id: int
    person_id: int
    session_key: str | None
    date: dt.date
    topic: str
    form: DeliveryForm
    audience: int | None
    unit_id: int


@dataclass
class Bucket:
    label: str
    sessions: int = 0
    audience: int = 0

    def add(self, audience: int | None) -> None:
        self.sessions += 1
        self.audience += audience or 0


@dataclass
class Totals:
    sessions: int = 0
    audience: int = 0
    presenters: int = 0  # lượt người báo cáo: every row, a shared session once per presenter
    by_form: list[Bucket] = field(default_factory=list)
    by_topic: list[Bucket] = field(default_factory=list)
    by_unit: list[Bucket] = field(default_factory=list)
    by_month: list[Bucket] = field(default_factory=list)


def sessions(rows: Iterable[Row]) -> list[tuple[Row, int | None]]:
    """One (row, audience) per session: the group's first row stands for it (its date, topic,
    form and unit), with the group's largest audience."""
    groups: dict[object, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.session_key or ("row", row.id), []).append(row)
    out = []
    for group in groups.values():
        first = min(group, key=lambda r: r.id)
        figures = [r.audience for r in group if r.audience is not None]
        out.append((first, max(figures) if figures else None))
    return out


def totals(rows: Sequence[Row], unit_label: Callable[[int], str],
           unit_order: Sequence[str] = ()) -> Totals:
    """The totals of `rows`; `unit_label` names the unit line a unit id counts in, and
    `unit_order` orders those lines (lines it does not hold come after, by name)."""
    result = Totals(presenters=len(rows))
    forms = {f: Bucket(f.label) for f in DeliveryForm}
    topics: dict[str, Bucket] = {}
    units: dict[str, Bucket] = {label: Bucket(label) for label in unit_order}
    months: dict[tuple[int, int], Bucket] = {}
    for row, audience in sessions(rows):
        result.sessions += 1
        result.audience += audience or 0
        forms[row.form].add(audience)
        topics.setdefault(fold_case_and_diacritics(row.topic), Bucket(row.topic)).add(audience)
        label = unit_label(row.unit_id)
        units.setdefault(label, Bucket(label)).add(audience)
        key = (row.date.year, row.date.month)
        months.setdefault(key, Bucket(f"{row.date:%m/%Y}")).add(audience)
    result.by_form = list(forms.values())
    result.by_topic = top_topics(list(topics.values()))
    result.by_unit = _ordered_units(units, unit_order)
    result.by_month = [months[k] for k in sorted(months)]
    return result


def top_topics(buckets: list[Bucket], top: int = TOP_TOPICS) -> list[Bucket]:
    """The `top` topics with the most sessions (then audience, then name), the others summed
    in one line naming how many they are."""
    ranked = sorted(buckets, key=lambda b: (-b.sessions, -b.audience, b.label))
    if len(ranked) <= top:
        return ranked
    rest = Bucket(f"{OTHER_TOPICS} ({len(ranked) - top} chủ đề)")
    for b in ranked[top:]:
        rest.sessions += b.sessions
        rest.audience += b.audience
    return ranked[:top] + [rest]


def _ordered_units(units: dict[str, Bucket], order: Sequence[str]) -> list[Bucket]:
    known = [units[label] for label in order]  # a unit without sessions shows, with 0
    others = sorted((b for label, b in units.items() if label not in set(order)),
                    key=lambda b: b.label)
    return known + others
