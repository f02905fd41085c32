"""The settings form, built from the reference lists (LLCT and chuyên môn levels, discipline
forms)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import ValidationError

from models import CourseKind
from registry.core.fields import CodeSelectField, PositiveIntField, required
from registry.settings.service import (
    FAIL_YEARS_MAX,
    FOREVER,
    PREVIEW_DAYS_MAX,
    ROLE_LEVELS,
    role_level_key,
)

# 0 means the rule is off; the select keeps any other value out.
FAIL_YEAR_CHOICES = [("0", "Không xét")] + [(str(n), f"{n} năm") for n in
                                            range(1, FAIL_YEARS_MAX + 1)]


def _field_key(role, level) -> str:
    return f"{role.value}_{level.value}"


def _filled(message: str):
    """A number field left blank gets `message` (a malformed value has its own message)."""
    def _check(form, field):
        if field.data is None and not field.errors:
            raise ValidationError(message)

    return _check


def settings_form(llct: list[tuple[str, str]], forms: list[tuple[str, str]], values: dict,
                  professional: list[tuple[str, str]]):
    """A FlaskForm class instance for `values` (used on GET; POST reads the request).
    `forms` are the discipline forms; those without a window (khai trừ) get no months field."""
    windowed = [(code, name) for code, name in forms if code not in FOREVER]

    class SettingsForm(FlaskForm):
        training_window_months = PositiveIntField(
            "Số tháng tính bồi dưỡng gần nhất (N)", maximum=120,
            validators=[_filled("Vui lòng nhập số tháng (1 đến 120).")])
        discipline_threshold = CodeSelectField(
            "Không đủ tiêu chuẩn khi kỷ luật từ mức", choices=forms,
            validators=[required("Vui lòng chọn mức kỷ luật.")])
        evaluation_fail_years = CodeSelectField(
            "Số năm liền không hoàn thành nhiệm vụ thì đề nghị đưa ra khỏi danh sách",
            choices=FAIL_YEAR_CHOICES, validators=[required("Vui lòng chọn số năm.")])
        import_preview_days = PositiveIntField(
            "Số ngày giữ bản xem trước chưa xác nhận", maximum=PREVIEW_DAYS_MAX,
            validators=[_filled(f"Vui lòng nhập số ngày (1 đến {PREVIEW_DAYS_MAX}).")])

        def values(self) -> dict:
            return {
                "training_window_months": self.training_window_months.data,
                "training_kinds": [k.value for k in CourseKind if self[f"kind_{k.value}"].data],
                "min_llct": {role_level_key(r, lv): self[f"llct_{_field_key(r, lv)}"].data or None
                             for r, lv in ROLE_LEVELS},
                "min_professional": {
                    role_level_key(r, lv): self[f"prof_{_field_key(r, lv)}"].data or None
                    for r, lv in ROLE_LEVELS},
                "party_required": {
                    role_level_key(r, lv): bool(self[f"party_{_field_key(r, lv)}"].data)
                    for r, lv in ROLE_LEVELS},
                "discipline_threshold": self.discipline_threshold.data,
                "discipline_months": {code: self[f"months_{code}"].data for code, _n in windowed},
                "import_preview_days": self.import_preview_days.data,
                "evaluation_fail_years": int(self.evaluation_fail_years.data),
            }

    for kind in CourseKind:
        setattr(SettingsForm, f"kind_{kind.value}", BooleanField(kind.label))
    for role, level in ROLE_LEVELS:
        setattr(SettingsForm, f"llct_{_field_key(role, level)}",
                CodeSelectField("LLCT tối thiểu", choices=llct, blank="— không yêu cầu —"))
        setattr(SettingsForm, f"prof_{_field_key(role, level)}",
                CodeSelectField("Chuyên môn tối thiểu", choices=professional,
                                blank="— không yêu cầu —"))
        setattr(SettingsForm, f"party_{_field_key(role, level)}", BooleanField("Phải là đảng viên"))
    for code, name in windowed:
        setattr(SettingsForm, f"months_{code}", PositiveIntField(name, maximum=240))

    return SettingsForm(data=_initial(values, windowed))


def _initial(values: dict, forms: list[tuple[str, str]]) -> dict:
    """The form's field values for the stored settings."""
    data = {"training_window_months": values["training_window_months"],
            "discipline_threshold": values["discipline_threshold"],
            "import_preview_days": values["import_preview_days"],
            "evaluation_fail_years": str(values["evaluation_fail_years"])}
    data.update({f"kind_{k.value}": k.value in values["training_kinds"] for k in CourseKind})
    for role, level in ROLE_LEVELS:
        key = role_level_key(role, level)
        data[f"llct_{_field_key(role, level)}"] = values["min_llct"].get(key)
        data[f"prof_{_field_key(role, level)}"] = values["min_professional"].get(key)
        data[f"party_{_field_key(role, level)}"] = values["party_required"].get(key, False)
    data.update({f"months_{code}": values["discipline_months"].get(code) for code, _n in forms})
    return data


def rows(form) -> list[tuple]:
    """(role, level, llct field, chuyên môn field, party field) for the standards table."""
    return [(r, lv, form[f"llct_{_field_key(r, lv)}"], form[f"prof_{_field_key(r, lv)}"],
             form[f"party_{_field_key(r, lv)}"]) for r, lv in ROLE_LEVELS]
