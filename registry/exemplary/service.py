"""Exemplary models (mô hình hay, điển hình tiên tiến): the list and its filters, and the writes.
A model is its unit's; the people linked to it must be people the actor may write, inside the
model's unit subtree."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from models import ExemplaryModel, Person, Unit, db, exemplary_model_persons
from registry.core import access
from registry.core.attrs import apply_fields
from registry.core.rules import RuleViolation

FIELDS = ("name", "field", "year", "decision_no", "decision_date", "recognised_by",
          "description")
FIRST_YEAR = 1945
PERSON_CHOICES_MAX = 3000


@dataclass
class ModelFilter:
    """The list's filters as typed (garbage is ignored, and said so in `problems`)."""

    year: str = ""
    unit: str = ""
    field: str = ""
    q: str = ""

    @classmethod
    def from_args(cls, args) -> ModelFilter:
        return cls(*((args.get(k) or "").strip()[:200] for k in ("year", "unit", "field", "q")))

    @property
    def problems(self) -> list[str]:
        out = []
        if self.year and self._year() is None:
            out.append(f"Năm «{self.year[:20]}» không hợp lệ; đã bỏ qua điều kiện năm.")
        if self.unit and access.visible_unit(self.unit) is None:
            out.append("Đơn vị đã chọn không tồn tại hoặc nằm ngoài phạm vi của bạn.")
        return out

    def _year(self) -> int | None:
        ok = self.year.isascii() and self.year.isdigit() and len(self.year) == 4
        return int(self.year) if ok else None

    def args(self, **extra) -> dict:
        values = {"year": self.year, "unit": self.unit, "field": self.field, "q": self.q, **extra}
        return {k: v for k, v in values.items() if v not in ("", None, 1)}

    def query(self) -> sa.Select:
        stmt = sa.select(ExemplaryModel).join(Unit, Unit.id == ExemplaryModel.unit_id).order_by(
            ExemplaryModel.year.desc(), Unit.path, ExemplaryModel.name, ExemplaryModel.id)
        if (year := self._year()) is not None:
            stmt = stmt.where(ExemplaryModel.year == year)
        if self.unit:
            stmt = stmt.where(access.in_subtree(ExemplaryModel.unit_id,
                                                access.visible_unit(self.unit)))
        if self.field:
            stmt = stmt.where(ExemplaryModel.field == self.field)
        if self.q:
            stmt = stmt.where(_matches(self.q))
        return stmt


def _matches(q: str) -> sa.ColumnElement[bool]:
    """Name or description containing the words (case-insensitive; Vietnamese text as typed)."""
    words = q.split()[:5]
    return sa.and_(*(sa.or_(ExemplaryModel.name.ilike(f"%{_escape(w)}%", escape="\\"),
                            ExemplaryModel.description.ilike(f"%{_escape(w)}%", escape="\\"))
                     for w in words))


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fields_in_use() -> list[str]:
    """The fields (lĩnh vực) already written on the models in scope, for the filter."""
    return [f for f in db.session.execute(
        sa.select(ExemplaryModel.field).where(ExemplaryModel.field.is_not(None))
        .group_by(ExemplaryModel.field).order_by(ExemplaryModel.field)).scalars()]


def person_choices() -> list[tuple[int, str]]:
    """(id, "name (unit)") of the people the actor may link: those of the units they write."""
    access.require_writer()
    rows = db.session.execute(
        sa.select(Person.id, Person.full_name, Unit.name).join(Unit, Unit.id == Person.unit_id)
        .order_by(Person.sort_key, Person.id).limit(PERSON_CHOICES_MAX)).all()
    return [(pid, f"{name} ({unit})") for pid, name, unit in rows]


def _check(data: dict) -> None:
    year, last = data.get("year"), dt.date.today().year
    if year is None or not FIRST_YEAR <= year <= last:
        raise RuleViolation("year", f"Năm công nhận phải từ {FIRST_YEAR} đến {last}.")
    if data.get("decision_date") and data["decision_date"].year > year + 1:
        raise RuleViolation("decision_date", "Ngày quyết định không khớp với năm công nhận.")


def _persons(ids: list[int], unit: Unit) -> list[Person]:
    """The people to link: each visible, writable and inside the model's unit subtree."""
    people = list(db.session.execute(sa.select(Person).where(Person.id.in_(ids))).scalars())
    if len(people) != len(set(ids)):
        raise RuleViolation("person_ids", "Có người được chọn không tồn tại hoặc nằm ngoài "
                                          "phạm vi của bạn.")
    for p in people:
        access.require_write(p.unit)
        if not p.unit.path.startswith(unit.path):
            raise RuleViolation("person_ids", f"{p.full_name} không thuộc {unit.name} hoặc "
                                              "đơn vị trực thuộc.")
    return sorted(people, key=lambda p: (p.sort_key, p.id))


def create_model(data: dict, unit: Unit, person_ids: list[int]) -> ExemplaryModel:
    access.require_write(unit)
    _check(data)
    item = ExemplaryModel(unit=unit, unit_id=unit.id)
    apply_fields(item, data, FIELDS, multiline=("description",))
    item.persons = _persons(person_ids, unit)
    db.session.add(item)
    db.session.flush()
    return item


def update_model(item: ExemplaryModel, data: dict, unit: Unit,
                 person_ids: list[int]) -> ExemplaryModel:
    access.require_write(item.unit)
    access.require_write(unit)
    _check(data)
    item.unit, item.unit_id = unit, unit.id
    apply_fields(item, data, FIELDS, multiline=("description",))
    item.persons = _persons(person_ids, unit)
    db.session.flush()
    return item


def delete_model(item: ExemplaryModel) -> None:
    access.require_write(item.unit)
    db.session.delete(item)
    db.session.flush()


def person_models(person: Person) -> list[ExemplaryModel]:
    """The models (in scope) the person takes part in, newest first."""
    link = exemplary_model_persons
    return list(db.session.execute(
        sa.select(ExemplaryModel).join(link, link.c.model_id == ExemplaryModel.id)
        .where(link.c.person_id == person.id)
        .order_by(ExemplaryModel.year.desc(), ExemplaryModel.id.desc())).scalars())

