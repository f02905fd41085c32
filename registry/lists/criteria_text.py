"""A qualification list's criteria in words, each with its value: a criterion left to the
settings prints the settings' value ("Lý luận chính trị tối thiểu: Trung cấp (theo thiết
lập)"), and when the settings differ by role and level, the value of each."""
from __future__ import annotations

from collections.abc import Callable

from models import Level, Role
from registry import refdata
from registry.eligibility.rules import Rules
from registry.settings import service as settings_svc
from registry.settings.service import ROLE_LEVELS, role_level_key

BY_SETTINGS = "(theo thiết lập)"


def pairs_of(role: Role | None, level: Level | None) -> list[tuple[Role, Level]]:
    """The roles and levels a list looks at."""
    return [(r, lv) for r, lv in ROLE_LEVELS if role in (None, r) and level in (None, lv)]


def by_settings(pairs: list[tuple[Role, Level]], values: dict, word: Callable) -> str:
    """The settings' value in words; per role and level when they differ."""
    groups: dict[str, list[str]] = {}
    for r, lv in pairs:
        groups.setdefault(word(values.get(role_level_key(r, lv))), []).append(
            f"{r.value} {lv.phrase}")
    if len(groups) == 1:
        return f"{next(iter(groups))} {BY_SETTINGS}"
    return "; ".join(f"{', '.join(who)}: {text}" for text, who in groups.items()) + \
        f" {BY_SETTINGS}"


def describe(c, unit_name: str | None, base: Rules) -> list[str]:
    """`c`: registry.lists.qualification.Criteria; `base`: the settings' rules."""
    llct, professional = refdata.names("political_theory"), refdata.names("professional")
    pairs = pairs_of(c.role, c.level)
    who = " ".join(x for x in (c.role.label if c.role else "BCV và TTV",
                               c.level.phrase if c.level else "") if x)
    lines = [f"{who} đang hoạt động" + (f", thuộc {unit_name}" if unit_name else "")]
    lines.append("Lý luận chính trị tối thiểu: " + (
        llct.get(c.min_llct, c.min_llct) if c.min_llct else
        by_settings(pairs, base.min_llct, lambda v: llct.get(v, v) if v else "không yêu cầu")))
    lines.append("Chuyên môn tối thiểu: " + (
        professional.get(c.min_professional, c.min_professional) if c.min_professional else
        by_settings(pairs, base.min_professional,
                    lambda v: professional.get(v, v) if v else "không yêu cầu")))
    lines.append("Đảng viên: " + (
        by_settings(pairs, base.party_required, lambda v: "bắt buộc" if v else "không xét")
        if c.party_required is None else "bắt buộc" if c.party_required else "không xét"))
    lines.append("Bồi dưỡng: " + (
        f"trong {base.window_months} tháng {BY_SETTINGS}" if c.training_months is None else
        "không xét" if c.training_months == 0 else f"trong {c.training_months} tháng"))
    lines.append("Kỷ luật: " + (f"không đang trong thời hạn kỷ luật từ mức {_threshold()} trở "
                                f"lên {BY_SETTINGS}" if c.no_discipline
                                else "không xét (trừ khai trừ)"))
    return lines


def _threshold() -> str:
    code = settings_svc.current()["discipline_threshold"]
    return refdata.names("discipline_form").get(code, code).lower()
