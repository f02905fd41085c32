"""A small audited history: two people in sibling districts, each edited by their officer,
and one security event from a known address."""
from __future__ import annotations

import datetime as dt

import pytest

from models import Gender, UserRole, db
from registry.core.audit import Actor, acting_as, security_event

OWN_UNIT, OTHER_UNIT = "Huyện Đắk Hà", "Huyện Sa Thầy"


@pytest.fixture
def history(app, make):
    """Users `dakha` (officer of Đắk Hà), `sathay` (officer of Sa Thầy), `viewer` (viewer of
    Đắk Hà), `admin`; an edited person in each district; one failed login."""
    users = {name: make.user(name, role, unit) for name, role, unit in (
        ("admin", UserRole.ADMIN, "Tỉnh Kon Tum"), ("dakha", UserRole.OFFICER, OWN_UNIT),
        ("sathay", UserRole.OFFICER, OTHER_UNIT), ("viewer", UserRole.VIEWER, OWN_UNIT))}
    own = make.person("Nguyễn Văn Mình", OWN_UNIT)
    other = make.person("Trần Thị Khác", OTHER_UNIT)
    db.session.refresh(own)  # as an edit form loads it: the entry then holds the old values
    with acting_as(Actor(users["dakha"].id, "dakha")):
        own.phone, own.gender = "0905123456", Gender.NU
        own.party_member, own.party_join_date = True, dt.date(2010, 5, 19)
        db.session.commit()
    with acting_as(Actor(users["sathay"].id, "sathay")):
        other.phone = "0905999999"
        db.session.commit()
    with app.test_request_context(environ_base={"REMOTE_ADDR": "10.9.8.7"}):
        security_event(db.session, "login_failed", {"username": "admin"},
                       actor=Actor(None, "admin"))
        db.session.commit()
    return {"own": own.id, "other": other.id, "own_name": own.full_name,
            "other_name": other.full_name, "own_appt": own.appointments[0].id,
            "other_appt": other.appointments[0].id}
