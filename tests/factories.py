"""Callable factories for tests: units by catalogue name, users, persons with appointments."""
from __future__ import annotations

import datetime as dt
import itertools

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from models import Appointment, Gender, Level, Person, Role, Unit, User, UserRole
from registry.services.persons import set_name

PASSWORD = "mat-khau-thu-nghiem"
# A cheap hash keeps login-heavy tests fast; production uses werkzeug's default.
_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
_seq = itertools.count(1)


class Factory:
    def __init__(self, session):
        self.s = session

    def unit(self, name: str) -> Unit:
        return self.s.execute(sa.select(Unit).where(Unit.name == name)
                              .order_by(Unit.id)).scalars().first()

    def user(self, username: str, role: UserRole, unit: str | Unit) -> User:
        unit = self.unit(unit) if isinstance(unit, str) else unit
        user = User(username=username, display_name=f"Người dùng {username}", role=role,
                    unit=unit, password_hash=_HASH)
        self.s.add(user)
        self.s.commit()
        return user

    def person(self, name: str, unit: str | Unit, *, role: Role = Role.TTV,
               level: Level = Level.CO_SO, start: dt.date = dt.date(2024, 1, 1),
               end: dt.date | None = None, **fields) -> Person:
        unit = self.unit(unit) if isinstance(unit, str) else unit
        person = Person(unit=unit, gender=fields.pop("gender", Gender.NAM), **fields)
        set_name(person, name)
        self.s.add(person)
        self.s.add(Appointment(person=person, role=role, level=level, unit=unit,
                               unit_name_snapshot=unit.name, start_date=start, end_date=end))
        self.s.commit()
        return person

    @staticmethod
    def cccd() -> str:
        return f"062{next(_seq):09d}"
