"""Today's tree (world2025) with people who went through the 2025 reorganisation, built
directly: an appointment on an old unit ended 30-6-2025 "do sắp xếp tổ chức bộ máy" and one in
its successor from 01-7-2025."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from models import Appointment, EndReason, Level, Role, Unit, UserRole

D = dt.date
EVE, DAY = D(2025, 6, 30), D(2025, 7, 1)
Y2024 = D(2024, 12, 31)


def unit(session, code: str, *, old: bool) -> Unit:
    """A unit of world2025 by GSO code: the old one (ended 30-6-2025) or today's."""
    ended = Unit.valid_to.is_not(None) if old else Unit.valid_to.is_(None)
    return session.execute(sa.select(Unit).where(Unit.gso_code == code, ended)).scalar_one()


def moved(make, session, name: str, old: Unit, new: Unit, *, role=Role.TTV,
          level=Level.CO_SO, new_level=None):
    """A person appointed in `old` since 2024 and moved to `new` on 01-7-2025."""
    person = make.person(name, old, role=role, level=level, start=D(2024, 1, 1), end=EVE)
    first = person.appointments[0]
    first.end_reason = EndReason.SAP_XEP
    session.add(Appointment(person=person, role=role, level=new_level or level, unit=new,
                            unit_name_snapshot=new.name, start_date=DAY))
    person.unit = new
    session.commit()
    return person


@pytest.fixture
def reorganised(world2025, make, ctx):
    """Y Hring: TTV of old Xã Đắk Hring, now of Xã Đăk Mar; A Báo: BCV cấp huyện of Huyện Đắk
    Hà, now BCV cấp tỉnh of the province; users of today's province and of Xã Đăk Mar."""
    s = ctx
    units = {
        "hring": unit(s, "23506", old=True), "mar": unit(s, "23512", old=False),
        "dakha_district": unit(s, "615", old=True), "kontum": unit(s, "62", old=True),
        "province": unit(s, "51", old=False), "dakha": unit(s, "23500", old=False),
    }
    moved(make, s, "Y Hring", units["hring"], units["mar"])
    moved(make, s, "A Báo", units["dakha_district"], units["province"], role=Role.BCV,
          level=Level.HUYEN, new_level=Level.TINH)
    make.user("admin", UserRole.ADMIN, units["province"])
    make.user("xdm", UserRole.OFFICER, units["mar"])
    return units
