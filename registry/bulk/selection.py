"""The people one bulk decision is for: ticked on a roster page, or every page of a filter.

The selection travels from page to page as form fields (the ticked ids, or the filter's values
with `all=1`), never in server memory or files; each step loads it again through the scoped
query, so a forged id of a person out of scope is refused (404), never silently dropped.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, url_for
from sqlalchemy.orm import joinedload, selectinload

from models import Appointment, Person, db
from registry.core import access
from registry.core.crud import int_list
from registry.core.rules import RuleViolation
from registry.roster.query import RosterFilter, filtered_ids

MAX_PEOPLE = 2000
# The roster filter's values travel prefixed: the action forms have fields named like them
# (role, level).
PREFIX = "f-"


@dataclass(frozen=True)
class Selection:
    ids: tuple[int, ...]
    all_matching: bool
    filter: RosterFilter

    @classmethod
    def from_values(cls, values) -> Selection:
        """Read the selection from request values; what cannot be an id is ignored."""
        args = {k[len(PREFIX):]: values.get(k) for k in values if k.startswith(PREFIX)}
        return cls(tuple(dict.fromkeys(int_list(values.getlist("person_ids")))),
                   values.get("all") == "1", RosterFilter.from_args(args))

    def fields(self, ids: list[int] | None = None) -> list[tuple[str, str]]:
        """The hidden fields carrying this selection (or only `ids`, with the same filter)."""
        out = [(PREFIX + k, str(v)) for k, v in self.filter.args(page=1).items()]
        if self.all_matching and ids is None:
            return [*out, ("all", "1")]
        return out + [("person_ids", str(i)) for i in (self.ids if ids is None else ids)]

    def roster_url(self) -> str:
        return url_for("roster.index", **self.filter.args(page=1))

    def people(self) -> list[Person]:
        """The selected people, in roster order (ticked: in the order ticked), with their
        appointments and units loaded.

        :raise RuleViolation: nobody selected, or more than MAX_PEOPLE.
        :raise NotFound: (abort 404) a ticked id names nobody the actor sees.
        :raise AccessDenied: a person the actor may see but not write.
        """
        ids = filtered_ids(self.filter) if self.all_matching else list(self.ids)
        if not ids:
            raise RuleViolation(None, "Chưa chọn người nào: hãy đánh dấu người trong danh sách "
                                      "hoặc chọn tất cả theo bộ lọc.")
        if len(ids) > MAX_PEOPLE:
            raise RuleViolation(None, f"Một quyết định áp dụng cho tối đa {MAX_PEOPLE:,} người "
                                      f"mà lựa chọn có {len(ids):,} người. Hãy lọc hẹp hơn (theo "
                                      "đơn vị, vai trò…) rồi chọn lại.".replace(",", "."))
        rows = {p.id: p for p in db.session.execute(
            sa.select(Person).where(Person.id.in_(ids)).options(
                joinedload(Person.unit),
                selectinload(Person.appointments).joinedload(Appointment.unit))).scalars()}
        if len(rows) != len(ids):
            abort(404)
        for person in rows.values():
            access.require_write(person.unit)
        return [rows[i] for i in ids]


def stamp(people: list[Person]) -> str:
    """A digest of what the preview was made from: who, each person's version, and the state
    of their appointments (changing an appointment does not move the person's version)."""
    digest = hashlib.sha256()
    for p in sorted(people, key=lambda p: p.id):
        digest.update(f"{p.id}:{p.version}:{p.unit_id}|".encode())
        for a in sorted(p.appointments, key=lambda a: a.id):
            digest.update(f"{a.id},{a.unit_id},{a.role.value},{a.level.value},{a.term},"
                          f"{a.start_date},{a.end_date};".encode())
    return digest.hexdigest()[:32]
