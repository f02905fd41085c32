"""The unit tree held in memory for documents and reports: today's tree, or the tree as it stood
on an earlier date (units valid then, under the parents they had then: a merger re-attaches
children to the successor and records the former parent in UnitFormerParent)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from models import Unit, UnitFormerParent, UnitKind, db


@dataclass(frozen=True, slots=True)
class Node:
    id: int
    name: str
    kind: UnitKind
    parent_id: int | None
    order: tuple[int, ...]      # today's tree order (ids along the path), for sorting
    valid_from: dt.date | None
    valid_to: dt.date | None

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to)


class UnitTree:
    """Every unit (two small queries), with parents as of `day` (today's tree when None)."""

    def __init__(self, day: dt.date | None = None):
        rows = db.session.execute(sa.select(
            Unit.id, Unit.name, Unit.kind, Unit.parent_id, Unit.path, Unit.valid_from,
            Unit.valid_to)).all()
        self.day = day
        self.nodes: dict[int, Node] = {}
        for r in rows:
            order = tuple(int(x) for x in r.path.strip("/").split("/") if x.isdigit())
            self.nodes[r.id] = Node(r.id, r.name, r.kind, r.parent_id, order, r.valid_from,
                                    r.valid_to)
        self.parent: dict[int, int | None] = {n.id: n.parent_id for n in self.nodes.values()}
        if day is not None:
            self._rewind(day)
        self._district: dict[int, int | None] = {}

    def _rewind(self, day: dt.date) -> None:
        """Parents on `day`: the earliest former parent whose period still covers it.

        Several mergers on one day (a district into its province, then the province into a new
        one) leave a unit several former parents with the same `until`: the first recorded is
        the parent it really had, the later ones are the intermediate parents of that day. So
        ties go newest first too, and the oldest row is applied last and wins."""
        former = db.session.execute(sa.select(
            UnitFormerParent.unit_id, UnitFormerParent.parent_id, UnitFormerParent.until)
            .order_by(UnitFormerParent.until.desc(), UnitFormerParent.id.desc())).all()
        for unit_id, parent_id, until in former:  # latest first, so the earliest wins
            if day <= until:
                self.parent[unit_id] = parent_id

    def name(self, unit_id: int | None) -> str:
        node = self.nodes.get(unit_id)
        return node.name if node else ""

    def ancestors(self, unit_id: int) -> list[int]:
        """The unit and its ancestors, nearest first (as of the tree's date)."""
        chain, seen = [], set()
        node_id: int | None = unit_id
        while node_id is not None and node_id not in seen:
            chain.append(node_id)
            seen.add(node_id)
            node_id = self.parent.get(node_id)
        return chain

    def district_of(self, unit_id: int) -> int | None:
        """The district (huyện, thành phố) holding the unit, the district itself included."""
        if unit_id not in self._district:
            self._district[unit_id] = next(
                (u for u in self.ancestors(unit_id) if self.nodes[u].kind is UnitKind.HUYEN), None)
        return self._district[unit_id]

    def district_name(self, unit_id: int) -> str:
        return self.name(self.district_of(unit_id))

    def is_within(self, unit_id: int, root_id: int) -> bool:
        return root_id in self.ancestors(unit_id)

    def children(self, unit_id: int | None, day: dt.date | None) -> list[Node]:
        """Units directly under `unit_id` (the roots for None) and valid on `day` (all of them
        for None), in catalogue order (ids follow the catalogue; units created later come
        after)."""
        if not hasattr(self, "_kids"):
            self._kids: dict[int | None, list[Node]] = {}
            for n in sorted(self.nodes.values(), key=lambda n: n.id):
                self._kids.setdefault(self.parent.get(n.id), []).append(n)
        return [n for n in self._kids.get(unit_id, []) if day is None or n.is_valid_on(day)]

    def roots(self, day: dt.date) -> list[Node]:
        """The units at the top of the tree on `day`: one province, or on a day before a merger
        of provinces each of them."""
        return self.children(None, day)

    def subtree(self, root_id: int, day: dt.date | None) -> list[int]:
        """Ids of the units valid on `day` under `root_id` (itself included), tree order."""
        out: list[int] = []
        stack = [root_id]
        while stack:
            unit_id = stack.pop()
            out.append(unit_id)
            stack.extend(reversed([n.id for n in self.children(unit_id, day)]))
        return out
