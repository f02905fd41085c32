"""Rules an admin can change, stored as key → JSON in the `settings` table, defaults in code.

Nothing is cached (several workers serve requests): every evaluation reads the table, one
small query, so a change made through any worker applies to the next request everywhere.
"""
from __future__ import annotations

import copy

import sqlalchemy as sa

from models import CourseKind, Level, Role, Setting, db
from registry.core import access
from registry.core.rules import RuleViolation

# Role and level pairs the standards are set for (keys "BCV:tinh").
ROLE_LEVELS: list[tuple[Role, Level]] = [
    (Role.BCV, Level.TRUNG_UONG), (Role.BCV, Level.TINH), (Role.BCV, Level.HUYEN),
    (Role.BCV, Level.CO_SO), (Role.TTV, Level.TRUNG_UONG), (Role.TTV, Level.TINH),
    (Role.TTV, Level.HUYEN), (Role.TTV, Level.CO_SO),
]


def role_level_key(role: Role, level: Level) -> str:
    return f"{role.value}:{level.value}"


# Defaults from DOMAIN.md: BCV tỉnh/TW cao cấp, BCV huyện trung cấp, TTV sơ cấp (Hậu Giang);
# đảng viên required everywhere; "không trong thời gian bị kỷ luật từ khiển trách trở lên";
# discipline windows as in the CB-CC rules (12 months; giáng chức, cách chức 24), khai trừ and
# removal from the list without end. All of them are [I] in DOMAIN.md, hence settings.
DEFAULTS: dict[str, object] = {
    "training_window_months": 12,
    "training_kinds": [CourseKind.BOI_DUONG.value, CourseKind.TAP_HUAN.value,
                       CourseKind.HOI_THI.value],
    "min_llct": {
        "BCV:trung_uong": "cao_cap", "BCV:tinh": "cao_cap", "BCV:huyen": "trung_cap",
        "BCV:co_so": "so_cap", "TTV:trung_uong": "so_cap", "TTV:tinh": "so_cap",
        "TTV:huyen": "so_cap", "TTV:co_so": "so_cap",
    },
    # The province sets chuyên môn minimums, if any; none is known for Kon Tum.
    "min_professional": {role_level_key(r, lv): None for r, lv in ROLE_LEVELS},
    "party_required": {role_level_key(r, lv): True for r, lv in ROLE_LEVELS},
    "discipline_threshold": "khien_trach",
    "discipline_months": {
        "nhac_nho": 6, "phe_binh": 6, "khien_trach": 12, "canh_cao": 12,
        "tam_dung_hoat_dong": 6, "ha_bac_luong": 12, "giang_chuc": 24, "cach_chuc": 24,
        "dua_ra_khoi_danh_sach": None, "buoc_thoi_viec": None, "khai_tru": None, "giai_tan": None,
    },
    # An import preview not confirmed within this many days is discarded with its stored rows.
    "import_preview_days": 7,
    # Rated "không hoàn thành nhiệm vụ" this many years running proposes removal from the list
    # (a provincial quy chế's usual trigger, DOMAIN.md 4.5 [I]); 0: not checked.
    "evaluation_fail_years": 2,
}


PREVIEW_DAYS_MAX = 90
FAIL_YEARS_MAX = 5

# Khai trừ makes a person ineligible for good (DOMAIN.md rules): no window may be set for it.
EXPULSION = "khai_tru"
FOREVER = frozenset({EXPULSION})


def _stored() -> dict[str, object]:
    rows = db.session.execute(sa.select(Setting.key, Setting.value)).all()
    return {k: v for k, v in rows}


def current() -> dict[str, object]:
    """All settings: defaults overlaid with what an admin saved (dict values merged per key)."""
    values = copy.deepcopy(DEFAULTS)
    for key, value in _stored().items():
        if key not in values:
            continue
        if isinstance(values[key], dict) and isinstance(value, dict):
            values[key].update(value)
        else:
            values[key] = value
    return values


def get(key: str):
    return current()[key]


def save(values: dict[str, object]) -> list[str]:
    """Store the given settings (admins only); returns the keys that changed.

    :raise AccessDenied: the actor is not an admin (`access.is_admin`).
    :raise RuleViolation: a value is out of range.
    """
    access.require_admin()
    _validate(values)
    rows = {s.key: s for s in db.session.execute(sa.select(Setting)).scalars()}
    old = current()
    changed = []
    for key, value in values.items():
        if key not in DEFAULTS:
            continue
        if isinstance(value, dict):  # a dict setting is changed entry by entry
            value = {**old[key], **value}
        if old[key] == value:
            continue
        if key in rows:
            rows[key].value = copy.deepcopy(value)
        else:
            db.session.add(Setting(key=key, value=copy.deepcopy(value)))
        changed.append(key)
    db.session.flush()
    return changed


def _validate(values: dict[str, object]) -> None:
    months = values.get("training_window_months", 12)
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 120:
        raise RuleViolation("training_window_months", "Số tháng phải là số nguyên từ 1 đến 120.")
    days = values.get("import_preview_days", 7)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= PREVIEW_DAYS_MAX:
        raise RuleViolation("import_preview_days",
                            f"Số ngày phải là số nguyên từ 1 đến {PREVIEW_DAYS_MAX}.")
    years = values.get("evaluation_fail_years", 2)
    if not isinstance(years, int) or isinstance(years, bool) or not 0 <= years <= FAIL_YEARS_MAX:
        raise RuleViolation("evaluation_fail_years",
                            f"Số năm phải là số nguyên từ 0 (không xét) đến {FAIL_YEARS_MAX}.")
    for form, n in (values.get("discipline_months") or {}).items():
        if form in FOREVER and n is not None:
            raise RuleViolation(f"months_{form}", "Khai trừ có hiệu lực vĩnh viễn, "
                                                  "không đặt thời hạn.")
        if n is not None and (not isinstance(n, int) or not 1 <= n <= 240):
            raise RuleViolation(f"months_{form}", "Thời hạn phải là số tháng từ 1 đến 240, "
                                                  "hoặc để trống nếu không thời hạn.")
