"""A realistic demo roster: a few hundred BCV/TTV over several districts, plus demo logins; the
pieces (a person, a post, an appointment, accounts) serve the demo in today's structure too."""
from __future__ import annotations

import datetime as dt
import random
import secrets

import sqlalchemy as sa

from models import (
    DatePrecision,
    EndReason,
    Gender,
    Level,
    Person,
    Role,
    Unit,
    UnitKind,
    User,
    UserRole,
    db,
)
from registry.auth.users import create_user
from registry.demo import records as demo_records
from registry.exports.agency import committee
from registry.refdata import PROVINCE
from registry.roster.persons import add_appointment, set_name
from registry.units.catalogue2025 import loaded_province

DISTRICTS = ["Huyện Đắk Hà", "Huyện Sa Thầy", "Huyện Kon Plông", "Thành phố Kon Tum",
             "Huyện Đắk Glei", "Huyện Tu Mơ Rông"]
# (ethnicity, male names, female names): naming customs of the groups living in the area.
MINORITY = [
    ("Xơ Đăng", ["A Thút", "A Jar", "A Dung", "A Sang", "A Tuấn", "A Hới", "A Blung"],
     ["Y Blô", "Y Hằng", "Y Nhung", "Y Ngọc", "Y Xuân", "Y Bình"]),
    ("Ba Na", ["Đinh Văn Hùng", "A Kha", "A Nhân", "Đinh Văn Blưk", "A Phiu"],
     ["Y Hiền", "Đinh Thị Hơ Ry", "Y Phương", "Y Lan"]),
    ("Gia Rai", ["Ksor Thuân", "Rơ Châm Hiao", "Siu Khoan", "Rơ Mah Tú"],
     ["Ksor H'Blơ", "Rơ Châm H'Yen", "Siu H'Nga", "Nay H'Phun"]),
    ("Giẻ Triêng", ["A Vương", "A Phong", "A Minh"], ["Y Khuyên", "Y Thu", "Y Đào"]),
    ("Brâu", ["Thao Khoong", "Thao Ven"], ["Nguyễn Thị Ka", "Y Bông"]),
    ("Rơ Măm", ["A Bông", "A Nhót"], ["Y Vương", "Y Suông"]),
]
KINH_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô"]
KINH_MALE = ["Văn An", "Văn Bình", "Quang Trung", "Hữu Dũng", "Ngọc Hiếu", "Đức Thắng", "Văn Tâm"]
KINH_FEMALE = ["Thị Thủy", "Thùy Loan", "Thị Hoa", "Thị Mai", "Thị Ánh", "Thị Hằng", "Ngọc Ánh"]
POSITIONS = ["Bí thư Chi bộ thôn", "Trưởng thôn", "Trưởng Ban công tác Mặt trận thôn",
             "Phó Chủ tịch UBND xã", "Công chức Văn hóa - Xã hội", "Chủ tịch Hội Nông dân xã",
             "Bí thư Đoàn xã", "Người có uy tín trong đồng bào", "Giáo viên"]
LLCT = ["so_cap", "so_cap", "trung_cap", "trung_cap", "cao_cap", None]


def seed(people: int = 360, rng: random.Random | None = None) -> list[tuple[str, str, str]]:
    """Create demo people and accounts unless they exist; return (user, password, label).

    In a registry loaded with today's units (`init-db` since 2025) the demo lives in today's
    structure with its history (registry.demo.today); in a legacy registry, in the old tree."""
    if db.session.execute(sa.select(User.id).where(User.username == "admin")).first():
        return []
    rng = rng or random.Random(2026)
    if loaded_province() is not None:
        from registry.demo import today

        return today.seed(people, rng)
    return _seed_legacy(people, rng)


def _seed_legacy(people: int, rng: random.Random) -> list[tuple[str, str, str]]:
    units = {u.name: u for u in db.session.execute(sa.select(Unit)).scalars()}
    province = units[PROVINCE]
    for i in range(people):
        district = units[DISTRICTS[i % len(DISTRICTS)]]
        role, level, unit = post(rng, i, district, province)
        start = dt.date(rng.choice([2020, 2021, 2022, 2023, 2024]), rng.randint(1, 12), 1)
        appoint(rng, new_person(rng, i, unit), role, level, unit, start, decided_by(unit))
    db.session.flush()
    demo_records.seed(rng, demo_records.Places(
        province, province, [units[n] for n in DISTRICTS[:3]], units["Huyện Đắk Hà"]))
    return accounts([("admin", "quản trị toàn tỉnh", UserRole.ADMIN, province),
                     ("dakha", "cán bộ huyện Đắk Hà", UserRole.OFFICER, units["Huyện Đắk Hà"])])


def new_person(rng: random.Random, i: int, unit: Unit) -> Person:
    """A person of the area (name, birth, party, schooling) whose current unit is `unit`."""
    female = rng.random() < 0.45
    ethnicity, name = _name(rng, female)
    year = rng.randint(1962, 2000)
    precise = rng.random() < 0.6
    person = Person(gender=Gender.NU if female else Gender.NAM, ethnicity=ethnicity,
                    dob=dt.date(year, rng.randint(1, 12), rng.randint(1, 28)) if precise
                    else dt.date(year, 1, 1),
                    dob_precision=DatePrecision.DAY if precise else DatePrecision.YEAR,
                    cccd=f"062{i % 2}{year % 100:02d}{i:06d}", position=rng.choice(POSITIONS),
                    party_member=rng.random() < 0.8, political_theory=rng.choice(LLCT),
                    education=rng.choice(["9/12", "12/12", "12/12"]),
                    religion="Không", phone=f"09{rng.randint(10000000, 99999999)}")
    if person.party_member:
        person.party_join_date = dt.date(
            min(year + rng.randint(20, 30), 2024), rng.randint(1, 12), 1
        )
    set_name(person, name)
    person.unit = unit
    db.session.add(person)
    return person


def decided_by(unit: Unit) -> str:
    """Who recognises a BCV/TTV of `unit`: the standing committee of the province's or the
    district's Party committee ("Ban Thường vụ Huyện ủy Đắk Hà"), a commune's Party committee
    ("Đảng ủy xã Đắk La")."""
    if unit.kind is UnitKind.XA:
        return committee(unit)
    return f"Ban Thường vụ {committee(unit)}"


_DECISION_SUFFIX = {Level.TINH: "TU", Level.HUYEN: "HU", Level.CO_SO: "ĐU"}


def appoint(rng: random.Random, person: Person, role: Role, level: Level, unit: Unit,
            start: dt.date, body: str, term: str = "2020-2025", *, may_end: bool = True) -> None:
    """An appointment from `start` under a decision of `body`; a few (`may_end`) ended since."""
    ended = may_end and rng.random() < 0.06
    add_appointment(person, {
        "role": role,
        "level": level,
        "decision_no": f"{rng.randint(10, 999)}-QĐ/{_DECISION_SUFFIX[level]}",
        "decision_date": start - dt.timedelta(days=rng.randint(3, 20)),
        "decision_body": body,
        "term": term,
        "start_date": start,
        "end_date": start + dt.timedelta(days=400) if ended else None,
        "end_reason": rng.choice([EndReason.NGHI_HUU, EndReason.CHUYEN_CONG_TAC]) if ended
        else None,
    }, unit)


def _name(rng: random.Random, female: bool) -> tuple[str, str]:
    if rng.random() < 0.35:
        return (
            "Kinh",
            f"{rng.choice(KINH_FAMILY)} {rng.choice(KINH_FEMALE if female else KINH_MALE)}",
        )
    ethnicity, males, females = rng.choice(MINORITY)
    return ethnicity, rng.choice(females if female else males)


def post(rng: random.Random, i: int, district: Unit, province: Unit) -> tuple[Role, Level, Unit]:
    """The i-th person's post: a few BCV of the province, more of the district, mostly TTV."""
    # The last commune of each district is left without a TTV, as the units page should show.
    communes = [c for c in district.children if c.kind is UnitKind.XA][:-1]
    roll = rng.random()
    if roll < 0.05:
        return Role.BCV, Level.TINH, province
    if roll < 0.22:
        return Role.BCV, Level.HUYEN, district
    return Role.TTV, Level.CO_SO, communes[i % len(communes)]


def accounts(rows: list[tuple[str, str, UserRole, Unit]]) -> list[tuple[str, str, str]]:
    """Demo accounts with random passwords: (username, password, label)."""
    logins = []
    for username, label, role, unit in rows:
        password = secrets.token_urlsafe(9)
        create_user(username, password, display_name=f"Demo {label}", role=role, unit=unit)
        logins.append((username, password, label))
    return logins
