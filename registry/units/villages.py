"""Thôn and tổ dân phố added in bulk under a commune, from pasted names or an xlsx's first column,
so grassroots TTV coverage can be tracked per village. A plan (what is added, what is skipped and
why) is computed from the names alone, shown, and computed again when the officer confirms."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

import sqlalchemy as sa
from openpyxl import load_workbook

from imports.errors import ImportFileError
from imports.read import sniff_kind
from imports.text import collapse_spaces, fold_case_and_diacritics
from imports.zipcheck import Limits, check_package
from models import Unit, UnitKind, db
from registry.core import access
from registry.core.rules import RuleViolation
from registry.units.service import add_unit

MAX_NAME = 200
MAX_NAMES = 2000
# A list of villages is a few hundred rows: a small upload limit keeps a stray big file out.
_LIMITS = Limits(max_bytes=2 * 1024 * 1024, max_uncompressed=32 * 1024 * 1024)
# What a header cell of the names column folds to (a village's own name never reads like this).
_HEADERS = frozenset({"ten", "thon", "to dan pho", "thon, to dan pho", "thon/to dan pho",
                      "thon/tdp", "don vi", "stt"})

SKIP_DUPLICATE = "Đã có trong đơn vị"
SKIP_REPEATED = "Trùng với một dòng phía trên"
SKIP_TOO_LONG = f"Tên dài quá {MAX_NAME} ký tự"


@dataclass(frozen=True)
class Skipped:
    line: int
    name: str
    reason: str


@dataclass
class VillagePlan:
    """What confirming would do: `add` holds (name, type label) pairs in the order given."""

    add: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    blank: int = 0


def village_type(name: str) -> str:
    """The catalogue word for a village from its name: tổ dân phố (also written TDP), else thôn."""
    key = fold_case_and_diacritics(name)
    return "tổ dân phố" if key.startswith(("to dan pho", "tdp")) else "thôn"


def names_from_text(text: str) -> list[str]:
    """One name a line, as pasted (blank lines kept, so line numbers match the paste)."""
    return (text or "").splitlines()


def names_from_xlsx(data: bytes) -> list[str]:
    """The first column of the first sheet; a header row ("Tên thôn"…) is dropped.

    :raise RuleViolation: the file is not an xlsx workbook, is damaged or holds no name.
    """
    if not data.strip():
        raise RuleViolation("file", "Tệp tải lên rỗng.")
    if sniff_kind(data) != "xlsx":
        raise RuleViolation(
            "file", "Chỉ nhận tệp Excel .xlsx (cột đầu tiên là tên thôn, tổ dân phố).")
    try:
        check_package(data, _LIMITS)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportFileError as exc:
        raise RuleViolation("file", exc.error.message) from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise RuleViolation(
            "file", "Tệp Excel bị hỏng; hãy mở bằng Excel, lưu lại rồi tải lên lại.") from None
    try:
        cells = [row[0] if row else None
                 for row in book.worksheets[0].iter_rows(max_col=1, values_only=True)]
    finally:
        book.close()
    names = ["" if c is None else str(c) for c in cells]
    if names and _is_header(names[0]):
        names[0] = ""
    if not any(n.strip() for n in names):
        raise RuleViolation("file", "Tệp không có tên thôn, tổ dân phố nào ở cột đầu tiên.")
    return names


def _is_header(text: str) -> bool:
    key = fold_case_and_diacritics(text)
    return key in _HEADERS or key.startswith(("ten ", "danh sach"))


def check_commune(commune: Unit, day: dt.date) -> None:
    """:raise RuleViolation: villages go only under a commune valid on `day`."""
    if commune.kind is not UnitKind.XA:
        raise RuleViolation(
            None, f"«{commune.name}» không phải xã, phường, thị trấn: chỉ thêm thôn, tổ dân phố "
                  "dưới một đơn vị cấp xã.")
    if commune.valid_to is not None and day > commune.valid_to:
        raise RuleViolation(
            "valid_from", f"«{commune.name}» đã hết hiệu lực sau ngày {commune.valid_to:%d/%m/%Y}"
                          ": hãy thêm thôn, tổ dân phố vào đơn vị kế thừa.")
    if commune.valid_from is not None and day < commune.valid_from:
        raise RuleViolation(
            "valid_from", f"«{commune.name}» chỉ có hiệu lực từ ngày "
                          f"{commune.valid_from:%d/%m/%Y}; chọn ngày từ đó trở đi.")


def plan_villages(commune: Unit, names: list[str]) -> VillagePlan:
    """Sort `names` into those to add and those skipped (already there, repeated, too long)."""
    if len(names) > MAX_NAMES:
        raise RuleViolation("names", f"Mỗi lần thêm tối đa {MAX_NAMES} tên.")
    taken = {fold_case_and_diacritics(n) for n in _valid_child_names(commune)}
    plan = VillagePlan()
    for line, raw in enumerate(names, 1):
        name = collapse_spaces(raw)
        key = fold_case_and_diacritics(name)
        if not name:
            plan.blank += 1
        elif len(name) > MAX_NAME:
            plan.skipped.append(Skipped(line, name[:60] + "…", SKIP_TOO_LONG))
        elif key in taken:
            repeated = any(fold_case_and_diacritics(n) == key for n, _ in plan.add)
            plan.skipped.append(Skipped(line, name, SKIP_REPEATED if repeated else SKIP_DUPLICATE))
        else:
            taken.add(key)
            plan.add.append((name, village_type(name)))
    return plan


def _valid_child_names(commune: Unit) -> list[str]:
    today = dt.date.today()
    return list(db.session.execute(
        sa.select(Unit.name).where(Unit.parent_id == commune.id,
                                   sa.or_(Unit.valid_to.is_(None), Unit.valid_to >= today))
    ).scalars())


def add_villages(commune: Unit, names: list[str], *, valid_from: dt.date | None = None
                 ) -> tuple[list[Unit], VillagePlan]:
    """Add the plan's villages under `commune` (the caller commits once: all or nothing).

    :raise AccessDenied: the actor may not write to the commune.
    :raise RuleViolation: not a commune, not valid on the day, or nothing to add.
    """
    access.require_write(commune)
    day = valid_from or dt.date.today()
    check_commune(commune, day)
    plan = plan_villages(commune, names)
    if not plan.add:
        raise RuleViolation("names", "Không có tên mới nào để thêm.")
    units = [add_unit(name, UnitKind.THON, commune, type_label=label, valid_from=day)
             for name, label in plan.add]
    return units, plan
