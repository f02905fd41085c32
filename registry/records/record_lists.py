"""The filters of the commendation and discipline lists, read from the query string once and used
by the page and its xlsx alike (same query, same scope, the filters in words for the file)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from models import Commendation, Discipline, DisciplineSystem, Person, Unit
from registry import refdata
from registry.core import access

SHOWN = 1000  # rows on screen; the file has them all
MAX_DAYS = 3650


def _unit(arg: str) -> Unit | None:
    return access.visible_unit(arg) if arg else None


def _set(values: dict) -> dict:
    return {k: v for k, v in values.items() if v not in ("", None)}


def _unit_clause(stmt: sa.Select, arg: str, unit: Unit | None) -> sa.Select:
    # A unit the actor may not see (or garbage) reads as an empty unit, as on the roster.
    return stmt.where(access.in_subtree(Person.unit_id, unit)) if arg else stmt


@dataclass
class CommendationFilter:
    year: str = ""
    form: str = ""
    unit: str = ""
    unit_row: Unit | None = None

    @classmethod
    def from_args(cls, args) -> CommendationFilter:
        year, form, unit = ((args.get(k) or "").strip()[:40] for k in ("year", "form", "unit"))
        return cls(year, form, unit, _unit(unit))

    @property
    def year_value(self) -> int | None:
        ok = self.year.isascii() and self.year.isdigit() and len(self.year) == 4
        return int(self.year) if ok else None

    def args(self) -> dict:
        """The filters for a link (the "Tải Excel" of the same list)."""
        return _set({"year": self.year, "form": self.form, "unit": self.unit})

    def statement(self) -> sa.Select:
        stmt = (sa.select(Commendation).join(Commendation.person)
                .options(joinedload(Commendation.person).joinedload(Person.unit))
                .order_by(Commendation.year.desc(), Person.sort_key, Commendation.id))
        if self.year_value is not None:
            stmt = stmt.where(Commendation.year == self.year_value)
        if self.form:
            stmt = stmt.where(Commendation.form == self.form)
        return _unit_clause(stmt, self.unit, self.unit_row)

    def described(self) -> list[str]:
        names = refdata.names("commendation_form")
        return [f"năm {self.year_value}" if self.year_value else "",
                f"hình thức {names.get(self.form, self.form)}" if self.form else "",
                f"đơn vị {self.unit_row.name}" if self.unit_row else ""]


@dataclass
class DisciplineFilter:
    status: str = "in_force"
    system: DisciplineSystem | None = None
    days: int | None = None          # "sắp hết hiệu lực trong N ngày"
    unit: str = ""
    unit_row: Unit | None = None
    today: dt.date = field(default_factory=dt.date.today)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args) -> DisciplineFilter:
        f = cls(status="all" if args.get("status") == "all" else "in_force",
                system=DisciplineSystem.parse(args.get("system")),
                unit=(args.get("unit") or "").strip()[:40])
        f.unit_row = _unit(f.unit)
        raw = (args.get("expiring_within") or "").strip()
        if raw:
            if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_DAYS:
                f.days = int(raw)
            else:
                f.problems.append(f"Số ngày «{raw[:20]}» không hợp lệ (nhập số từ 1 đến "
                                  f"{MAX_DAYS}); danh sách không lọc theo ngày hết hiệu lực.")
        return f

    def args(self) -> dict:
        return _set({"status": self.status, "system": self.system.value if self.system else "",
                     "expiring_within": self.days or "", "unit": self.unit})

    def statement(self) -> sa.Select:
        stmt = (sa.select(Discipline).join(Discipline.person)
                .options(joinedload(Discipline.person).joinedload(Person.unit))
                .order_by(Discipline.effective_from.desc(), Person.sort_key, Discipline.id))
        if self.status == "in_force" or self.days:
            stmt = stmt.where(Discipline.in_force_clause(self.today))
        if self.days:
            last = self.today + dt.timedelta(days=self.days)
            stmt = stmt.where(Discipline.effective_until.is_not(None),
                              Discipline.effective_until <= last)
        if self.system:
            stmt = stmt.where(Discipline.system == self.system)
        return _unit_clause(stmt, self.unit, self.unit_row)

    def described(self) -> list[str]:
        when = (f"sắp hết hiệu lực trong {self.days} ngày kể từ {self.today:%d/%m/%Y}"
                if self.days else f"đang có hiệu lực ngày {self.today:%d/%m/%Y}"
                if self.status == "in_force" else "")
        return [when, self.system.label if self.system else "",
                f"đơn vị {self.unit_row.name}" if self.unit_row else ""]
