"""Stage 5: pure converters from cell values to normalised values (no catalogue, no context).

Converters that can fail return (value, problem) where problem is None or a Vietnamese phrase
explaining what is wrong with the cell (validate.py adds the column title around it).
Every text value comes out without control characters (NUL, other C0 but tab and line breaks,
U+FFFE/U+FFFF), even text kept verbatim: PostgreSQL cannot store NUL in text.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .text import cell_text, collapse_spaces, drop_controls, fold_case, is_blank

YEAR_MIN, YEAR_MAX = 1930, 2010
MISSING = "missing"
_APOSTROPHES = "'’ʼ‘`"
_DMY = re.compile(r"^(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})$")
_MY = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
_GENDERS = {"nam": "Nam", "nữ": "Nữ", "nu": "Nữ", "male": "Nam", "female": "Nữ"}
_LEVELS = (("tỉnh", "tỉnh"), ("huyện", "huyện"), ("thành phố", "huyện"), ("thị xã", "huyện"),
           ("quận", "huyện"), ("xã", "xã"), ("phường", "xã"), ("thị trấn", "xã"), ("cơ sở", "xã"))


def looks_like_formula(text: str) -> bool:
    """Injection-looking text (=…, +…, @…, <tag>) is data that must be kept verbatim."""
    head = text.lstrip()[:1]
    return head in ("=", "+", "@") or ("<" in text and ">" in text)


def clean_text(value: object) -> str | None:
    """NFC + whitespace collapsed, control characters dropped; None when empty."""
    if type(value) is str:
        return collapse_spaces(value) or None
    return cell_text(value) or None


# --- names ---------------------------------------------------------------------------------
def _title_word(word: str) -> str:
    word = word[:1].upper() + word[1:].lower()
    if not any(a in word for a in _APOSTROPHES):
        return word
    chars = list(word)
    for i in range(1, len(chars)):
        if chars[i - 1] in _APOSTROPHES:
            chars[i] = chars[i].upper()
    return "".join(chars)


def title_case(text: str) -> str:
    """`KSOR H'BLƠ` -> `Ksor H'Blơ`: each word capitalised, a letter after an apostrophe too."""
    return " ".join(_title_word(word) for word in text.split(" "))


def normalise_name(value: object) -> str | None:
    if type(value) is not str:
        return clean_text(value)
    if looks_like_formula(value):   # kept verbatim, but never with characters no database stores
        text = drop_controls(value)
        return text if text.strip() else None
    text = collapse_spaces(value)
    if text and (text.isupper() or text.islower()):
        return title_case(text)
    return text or None


# --- dates ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class YearSpan:
    """The years a kind of date may fall in, and how a problem names the year."""
    low: int
    high: int
    noun: str

    def problem(self, year: int) -> str | None:
        if self.low <= year <= self.high:
            return None
        return f"{self.noun} {year} nằm ngoài khoảng {self.low}–{self.high}"


BIRTH = YearSpan(YEAR_MIN, YEAR_MAX, "năm sinh")
# Appointment dates (start, end): from the founding of the state to well past today; a future
# end date is read (and then ignored, see history.py), not refused.
APPOINTMENT = YearSpan(1945, 2100, "năm")


def _full_date(year: int, month: int, day: int, shown: str,
               span: YearSpan = BIRTH) -> tuple[str | None, str | None]:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None, f"ngày {shown} không tồn tại"
    if span.low <= year <= span.high:
        return value.isoformat(), None
    return None, span.problem(year)


def _month(
    year: int, month: int, shown: str, span: YearSpan = BIRTH
) -> tuple[str | None, str | None]:
    if not 1 <= month <= 12:
        return None, f"tháng {shown} không tồn tại"
    problem = span.problem(year)
    return (None, problem) if problem else (f"{year:04d}-{month:02d}", None)


def parse_dob(value: object, typed: bool = True) -> tuple[str | None, str | None]:
    """ISO date, `YYYY-MM` or `YYYY`; problem MISSING for an empty cell."""
    kind = type(value)
    if kind is dt.date and YEAR_MIN <= value.year <= YEAR_MAX:  # type: ignore[attr-defined]
        return value.isoformat(), None  # type: ignore[attr-defined]
    if kind is str and value and value[0].isdigit() and value[-1].isdigit():
        return parse_date_text(drop_controls(value).strip())  # type: ignore[arg-type]
    if is_blank(value):
        return None, MISSING
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if YEAR_MIN <= value.year <= YEAR_MAX:
            return value.isoformat(), None
        return None, BIRTH.problem(value.year)
    if isinstance(value, bool) or isinstance(value, (dt.time, dt.timedelta)):
        return None, f"«{cell_text(value)}» không phải ngày sinh"
    if isinstance(value, (int, float)) and typed:
        if float(value).is_integer() and YEAR_MIN <= value <= YEAR_MAX:
            return str(int(value)), None
        return (
            None,
            f"số {cell_text(value)} không phải năm sinh ({YEAR_MIN}–{YEAR_MAX}) hay một ngày",
        )
    return parse_date_text(cell_text(value))


def parse_appointment_date(value: object, typed: bool = True) -> tuple[str | None, str | None]:
    """A start or end date of an appointment, read like a birth date (ISO date, `YYYY-MM` or
    `YYYY`: a partial date keeps its precision) within APPOINTMENT's years; (None, None) for an
    empty cell, which is no problem."""
    if is_blank(value):
        return None, None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        problem = APPOINTMENT.problem(value.year)
        return (None, problem) if problem else (value.isoformat(), None)
    if isinstance(value, bool) or isinstance(value, (dt.time, dt.timedelta)):
        return None, f"«{cell_text(value)}» không phải một ngày"
    if isinstance(value, (int, float)) and typed:
        if float(value).is_integer() and APPOINTMENT.problem(int(value)) is None:
            return str(int(value)), None
        return None, (
            f"số {cell_text(value)} không phải năm ({APPOINTMENT.low}–{APPOINTMENT.high}) "
            "hay một ngày"
        )
    return parse_date_text(cell_text(value), APPOINTMENT)


def parse_date_text(text: str, span: YearSpan = BIRTH) -> tuple[str | None, str | None]:
    if m := _DMY.match(text):
        return _full_date(int(m.group(4)), int(m.group(3)), int(m.group(1)), text, span)
    if m := _MY.match(text):
        return _month(int(m.group(2)), int(m.group(1)), text, span)
    if m := _YEAR.match(text):
        problem = span.problem(int(m.group(1)))
        return (None, problem) if problem else (m.group(1), None)
    if m := _ISO.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        if m.group(3):
            return _full_date(year, month, int(m.group(3)), text, span)
        return _month(year, month, text, span)
    return None, f"không đọc được «{text}» (ghi dạng dd/mm/yyyy, mm/yyyy hoặc yyyy)"


# --- gender, role, level ----------------------------------------------------------------------
def parse_gender(value: object) -> tuple[str | None, str | None]:
    if is_blank(value):
        return None, MISSING
    text = cell_text(value)
    gender = _GENDERS.get(fold_case(text))
    return (gender, None) if gender else (None, f"«{text}» không phải Nam hoặc Nữ")


def parse_role(value: object) -> str | None:
    key = fold_case(cell_text(value))
    if "bcv" in key or "báo cáo" in key:
        return "BCV"
    if "ttv" in key or "tuyên truyền" in key:
        return "TTV"
    return None


def parse_level(value: object) -> str | None:
    key = fold_case(cell_text(value))
    # The screens say "cấp xã", "cấp huyện": a file may too.
    key = key.removeprefix("cấp ").strip()
    for word, level in _LEVELS:
        if key == word or key.startswith(word + " "):
            return level
    return None


# --- CCCD ------------------------------------------------------------------------------------
def parse_cccd(value: object, typed: bool = True) -> tuple[str | None, str | None]:
    """Exactly 12 digits; numeric cells of 10–11 digits lost their leading zeros in Excel."""
    if is_blank(value):
        return None, None
    if typed and isinstance(value, (int, float)) and not isinstance(value, bool):
        if not float(value).is_integer() or value < 0:
            return None, f"«{cell_text(value)}» không phải số CCCD"
        digits = str(int(value))
        if 10 <= len(digits) <= 12:
            return digits.zfill(12), None
        return None, _digits_problem(digits)
    text = drop_controls(value) if type(value) is str else cell_text(value)
    compact = "".join(text.split()).replace(".", "").removeprefix("'")
    if len(compact) == 12 and compact.isdigit() and compact.isascii():
        return compact, None
    return None, _digits_problem(compact, cell_text(text))


def _digits_problem(digits: str, shown: str | None = None) -> str:
    shown = shown or digits
    if not (digits.isdigit() and digits.isascii()):
        return f"«{shown}» có ký tự không phải chữ số; số CCCD gồm đúng 12 chữ số"
    if len(digits) == 9:
        return f"«{shown}» là số CMND 9 chữ số; cần số CCCD gồm đúng 12 chữ số"
    return f"«{shown}» có {len(digits)} chữ số; số CCCD gồm đúng 12 chữ số"


# --- extra fields (never invalid) ---------------------------------------------------------------
def extra_value(kind: str, value: object) -> str | None:
    if type(value) is str:
        if looks_like_formula(value):
            return drop_controls(value).strip() or None
        return collapse_spaces(value) or None
    if value is None:
        return None
    if kind == "date_text":
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat()
    if kind == "phone" and isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer():
            digits = str(int(value))
            return "0" + digits if len(digits) == 9 else digits
    return clean_text(value)
