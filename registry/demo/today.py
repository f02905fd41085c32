"""The demo in today's structure, with its history: people recognised under Kon Tum before 2025
(on the old units `init-db` keeps as history), their sessions and a paid month before 01-7-2025
there; then the reorganisation run as an admin would run it (appointments end "do sắp xếp tổ
chức bộ máy" and restart in the successor communes); then what came after: half of the BCV cấp
huyện recognised again at cấp tỉnh (the other half still waiting), villages under the demo
officer's commune with new TTV for the 2025–2030 term, and the records of the last months on
today's communes."""
from __future__ import annotations

import datetime as dt
import random

import sqlalchemy as sa

from models import Appointment, Level, Person, Role, Unit, UnitKind, UserRole, db
from registry.core.reform2025 import DISTRICTS_ABOLISHED
from registry.demo import records as demo_records
from registry.demo.people import accounts, appoint, decided_by, new_person, post
from registry.exports.agency import committee, split_type
from registry.reorganise import followup
from registry.reorganise.service import apply, default_successor
from registry.units import villages

# Tỉnh Kon Tum and the districts the demo fills, Đắk Hà first (its town became Xã Đăk Hà).
OLD_PROVINCE_CODE = "62"
DISTRICT_CODES = ("615", "616", "613", "608", "610", "617")
NEW_TERM = "2025-2030"
VILLAGES = ["Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 3", "Thôn Kon Gung", "Thôn Kon Klor",
            "Thôn Đăk Lấp"]


def seed(people: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """Fill a registry loaded with today's units; return the demo logins."""
    root, old_root = _roots()
    districts = _districts(old_root)
    for i in range(people):
        role, level, unit = post(rng, i, districts[i % len(districts)], old_root)
        start = dt.date(rng.choice([2020, 2021, 2022, 2023, 2024]), rng.randint(1, 12), 1)
        appoint(rng, new_person(rng, i, unit), role, level, unit, start, decided_by(unit))
    db.session.flush()
    _before_reform(rng, districts[0])
    apply(DISTRICTS_ABOLISHED, actor="seed-demo")
    home = default_successor(_commune_of(districts[0]))
    _after_reform(rng, root, home, people)
    demo_records.seed(rng, demo_records.Places(root, old_root, _busiest_communes(home), home))
    return accounts([("admin", f"quản trị toàn {_lower_type(root)}", UserRole.ADMIN, root),
                     ("dakha", f"cán bộ {_lower_type(home)}", UserRole.OFFICER, home)])


def _roots() -> tuple[Unit, Unit]:
    """Today's province and the old province whose history the demo tells (Kon Tum when the
    catalogue has it, else the first former province)."""
    roots = db.session.execute(sa.select(Unit).where(
        Unit.parent_id.is_(None), Unit.kind == UnitKind.TINH).order_by(Unit.id)).scalars().all()
    current = [u for u in roots if u.valid_to is None]
    former = [u for u in roots if u.valid_to is not None and u.valid_to < DISTRICTS_ABOLISHED]
    kontum = [u for u in former if u.gso_code == OLD_PROVINCE_CODE]
    return current[0], (kontum or former)[0]


def _districts(old_root: Unit) -> list[Unit]:
    # A district needs two communes: the last one is left without TTV (people.post).
    by_code = {d.gso_code: d for d in old_root.children
               if d.kind is UnitKind.HUYEN and sum(c.kind is UnitKind.XA for c in d.children) > 1}
    chosen = [by_code[c] for c in DISTRICT_CODES if c in by_code]
    return chosen or sorted(by_code.values(), key=lambda d: d.gso_code or "")[:6]


def _commune_of(district: Unit) -> Unit:
    """The district's town (thị trấn) if it has one: the commune its seat became."""
    communes = [c for c in district.children if c.kind is UnitKind.XA]
    return next((c for c in communes if (c.type_label or "") == "thị trấn"), communes[0])


def _before_reform(rng: random.Random, district: Unit) -> None:
    """Sessions of the first half of 2025 on the old units, and May 2025 paid for the district."""
    last_day = DISTRICTS_ABOLISHED - dt.timedelta(days=1)
    people = list(db.session.execute(sa.select(Person).order_by(Person.id)).scalars())
    demo_records.rates()
    demo_records.activities(rng, people, last_day, months=6)
    db.session.flush()
    demo_records.pay_month(district, dt.date(2025, 5, 1), last_day)


def _after_reform(rng: random.Random, root: Unit, home: Unit, people: int) -> None:
    """Half of the BCV cấp huyện recognised again at cấp tỉnh under one decision; villages in
    the demo officer's commune, most with a TTV of the new term."""
    waiting = followup.rerecognition_list()
    if len(waiting) > 1:
        followup.reappoint(waiting[: len(waiting) // 2], followup.Decision(
            "125-QĐ/TU", dt.date(2025, 9, 10), f"Ban Thường vụ {committee(root)}",
            dt.date(2025, 9, 15), NEW_TERM))
    body = f"Ban Thường vụ {committee(home)}"
    hamlets, _plan = villages.add_villages(home, VILLAGES, valid_from=DISTRICTS_ABOLISHED)
    # The last villages get nobody: the commune's page flags them "Chưa có TTV".
    staffed = hamlets[:-2]
    for k, i in enumerate(range(people, people + max(len(staffed), people // 40))):
        unit = staffed[k % len(staffed)]
        appoint(rng, new_person(rng, i, unit), Role.TTV, Level.CO_SO, unit,
                dt.date(2025, 10, 1), body, NEW_TERM, may_end=False)
    db.session.flush()


def _busiest_communes(home: Unit) -> list[Unit]:
    """The demo officer's commune and the two other communes with the most TTV today: the
    three that held a tập huấn."""
    counts = db.session.execute(
        sa.select(Unit, sa.func.count(Appointment.id)).join(Appointment, Appointment.unit_id
                                                           == Unit.id)
        .where(Unit.kind == UnitKind.XA, Unit.valid_to.is_(None), Unit.id != home.id,
               Appointment.role == Role.TTV, Appointment.active_on_clause(dt.date.today()))
        .group_by(Unit.id).order_by(sa.func.count(Appointment.id).desc(), Unit.id).limit(2)
    ).all()
    return [home, *(u for u, _n in counts)]


def _lower_type(unit: Unit) -> str:
    """"xã Đăk Hà" for "Xã Đăk Hà": how a sentence names a unit."""
    kind, short = split_type(unit.name)
    return f"{kind} {short}" if kind else unit.name
