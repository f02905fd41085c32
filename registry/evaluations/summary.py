"""The year's results per unit: how many of each unit's team got each rating (and how many are
not rated yet), one line per unit directly under the chosen one."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from models import Evaluation, EvaluationRating, Person, Unit, db
from registry.evaluations.service import team_query

RATINGS = list(EvaluationRating)


@dataclass
class Line:
    label: str
    unit_id: int | None
    counts: dict[EvaluationRating | None, int] = field(default_factory=dict)

    def count(self, rating: EvaluationRating | None) -> int:
        return self.counts.get(rating, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, rating: EvaluationRating | None) -> None:
        self.counts[rating] = self.counts.get(rating, 0) + 1


@dataclass
class Summary:
    unit: Unit
    year: int
    lines: list[Line]
    total: Line


def summarise(unit: Unit, year: int) -> Summary:
    """Counts per rating for the team of each unit under `unit` (its own people on a line of
    their own), from one query over the team."""
    stmt = (team_query(unit, year).order_by(None)
            .with_only_columns(Unit.path, Evaluation.rating)
            .outerjoin(Evaluation, sa.and_(Evaluation.person_id == Person.id,
                                           Evaluation.year == year)))
    lines: dict[int, Line] = {}
    total = Line("Tổng cộng", None)
    own = Line(f"Trực thuộc {unit.name}", unit.id)
    for path, rating in db.session.execute(stmt):
        child = _child_id(path, unit.path)
        line = own if child is None else lines.setdefault(child, Line("", child))
        line.add(rating)
        total.add(rating)
    units = db.session.execute(sa.select(Unit.id, Unit.name, Unit.path)
                               .where(Unit.id.in_(list(lines)))).all()
    for u in units:
        lines[u.id].label = u.name
    order = {u.id: u.path for u in units}
    ordered = sorted(lines.values(), key=lambda ln: order.get(ln.unit_id, ""))
    return Summary(unit, year, ([own] if own.total else []) + ordered, total)


def _child_id(path: str, root_path: str) -> int | None:
    """The unit directly under the root on the way to `path`; None for the root itself."""
    rest = path[len(root_path):].strip("/")
    return int(rest.split("/")[0]) if rest else None
