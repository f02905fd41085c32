"""A realistic demo roster: a few hundred BCV/TTV over several districts, plus demo logins."""
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
from registry.refdata import PROVINCE
from registry.roster.persons import add_appointment, set_name

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
    """Create demo people and accounts unless they exist; return (user, password, label)."""
    if db.session.execute(sa.select(User.id).where(User.username == "admin")).first():
        return []
    rng = rng or random.Random(2026)
    units = {u.name: u for u in db.session.execute(sa.select(Unit)).scalars()}
    for i in range(people):
        district = units[DISTRICTS[i % len(DISTRICTS)]]
        _person(rng, i, district, units[PROVINCE])
    db.session.flush()
    demo_records.seed(rng, units)
    return _accounts(units)


def _person(rng: random.Random, i: int, district: Unit, province: Unit) -> Person:
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
    role, level, unit = _post(rng, i, district, province)
    person.unit = unit
    db.session.add(person)
    start = dt.date(rng.choice([2020, 2021, 2022, 2023, 2024]), rng.randint(1, 12), 1)
    decision_no = f"{rng.randint(10, 999)}-QĐ/{'TU' if level is Level.TINH else 'HU'}"
    ended = rng.random() < 0.06
    reason = rng.choice([EndReason.NGHI_HUU, EndReason.CHUYEN_CONG_TAC]) if ended else None
    add_appointment(person, {
        "role": role,
        "level": level,
        "decision_no": decision_no,
        "decision_date": start,
        "decision_body": f"Ban Thường vụ {district.name}",
        "term": "2020-2025",
        "start_date": start,
        "end_date": start + dt.timedelta(days=400) if ended else None,
        "end_reason": reason,
    }, unit)
    return person


def _name(rng: random.Random, female: bool) -> tuple[str, str]:
    if rng.random() < 0.35:
        return (
            "Kinh",
            f"{rng.choice(KINH_FAMILY)} {rng.choice(KINH_FEMALE if female else KINH_MALE)}",
        )
    ethnicity, males, females = rng.choice(MINORITY)
    return ethnicity, rng.choice(females if female else males)


def _post(rng: random.Random, i: int, district: Unit, province: Unit):
    # The last commune of each district is left without a TTV, as the units page should show.
    communes = [c for c in district.children if c.kind is UnitKind.XA][:-1]
    roll = rng.random()
    if roll < 0.05:
        return Role.BCV, Level.TINH, province
    if roll < 0.22:
        return Role.BCV, Level.HUYEN, district
    return Role.TTV, Level.CO_SO, communes[i % len(communes)]


def _accounts(units: dict[str, Unit]) -> list[tuple[str, str, str]]:
    logins = []
    for username, label, role, unit in (
        ("admin", "quản trị toàn tỉnh", UserRole.ADMIN, units[PROVINCE]),
        ("dakha", "cán bộ Huyện Đắk Hà", UserRole.OFFICER, units["Huyện Đắk Hà"]),
    ):
        password = secrets.token_urlsafe(9)
        create_user(username, password, display_name=f"Demo {label}", role=role, unit=unit)
        logins.append((username, password, label))
    return logins
