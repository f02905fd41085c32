"""Stage 7: one person row -> ParsedRow (normalised values + the first problem, by priority)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from .assign import Placer
from .catalogue import Catalogue
from .header import Layout
from .history import dmy, ends_before_start, first_day
from .normalise import (
    MISSING,
    clean_text,
    extra_value,
    is_blank,
    normalise_name,
    parse_appointment_date,
    parse_cccd,
    parse_dob,
    parse_gender,
)
from .rows import DataRow
from .spec import APPOINTMENT_FIELDS, BY_KEY, CONTRACT_FIELDS, EXTRA_FIELDS, FEMALE, MALE
from .terms import parse_term

# A value longer than the database stores (catalogue.max_lengths): PostgreSQL would refuse it and
# fail the whole commit. Last of all, after duplicate_in_file, so that the reasons before it (the
# import contract's) never change.
TOO_LONG = "too_long"
# An appointment date that cannot be read, or an end date before the start: after too_long, for
# the same reason (it came later; no sample row's reason may change).
BAD_END_DATE = "bad_end_date"
# The start date of the appointment (unreadable, after the import day, before the birth date) and
# the decision's date (unreadable, not a whole day, after the import day): after bad_end_date,
# which they came after.
BAD_START_DATE = "bad_start_date"
BAD_DECISION_DATE = "bad_decision_date"
REASONS: tuple[str, ...] = (
    "missing_name",
    "missing_date",
    "bad_date",
    "bad_gender",
    "missing_unit",
    "unknown_unit",
    "bad_cccd",
    "duplicate_in_file",
    TOO_LONG,
    BAD_END_DATE,
    BAD_START_DATE,
    BAD_DECISION_DATE,
)
_AFTER_DUPLICATE = frozenset({TOO_LONG, BAD_END_DATE, BAD_START_DATE, BAD_DECISION_DATE})
_PERIOD_DATES = ("end_date", "start_date", "decision_date")
_MEMO_LIMIT = 20_000
_NO = object()
_CONTRACT_WIDTH = len(CONTRACT_FIELDS)


# Not frozen: a frozen dataclass sets each field through object.__setattr__, 4 µs a row
# instead of 1 (20,000 rows: 0.06 s). Nothing changes a row once made; DuplicateTracker replaces.
@dataclass(slots=True)
class ParsedRow:
    row: int  # 1-based sheet row (CSV record number)
    keys: tuple[str, ...]  # CONTRACT_FIELDS, then the extra fields of this sheet
    data: tuple[object, ...]  # normalised values, aligned with keys
    unit_id: int | str | None  # catalogue id of the resolved unit
    reason: str | None = None  # first problem (REASONS order), None when valid
    duplicate_of_row: int | None = None
    message: str | None = None  # Vietnamese, names the column as titled in the file
    field: str | None = None  # field key at fault
    column: int | None = None  # 0-based column of the cell at fault (None: no such column)
    raw: tuple[object, ...] = ()  # the row's cells (legacy text decoded); kept for invalid rows
    note: str | None = None  # how a value was understood ("hiểu là Xã Ia Đal"), shown in preview
    current_unit: str | None = None  # where a former unit's row lands today (unit_id is that's)
    choices: tuple[str, ...] = ()  # the successors a divided former unit leaves to choose from

    @property
    def valid(self) -> bool:
        return self.reason is None

    @property
    def values(self) -> dict[str, object]:
        """The ten contract fields (None when empty) plus the extra fields that have a value."""
        out = dict(zip(CONTRACT_FIELDS, self.data[:_CONTRACT_WIDTH], strict=True))
        for key, value in zip(
            self.keys[_CONTRACT_WIDTH:], self.data[_CONTRACT_WIDTH:], strict=True
        ):
            if value is not None:
                out[key] = value
        return out

    def value(self, key: str) -> object:
        try:
            return self.data[self.keys.index(key)]
        except ValueError:
            return None


def _term_note(note: str | None, term: object) -> str | None:
    """A term whose years cannot be read is kept as written, never a refused row: the preview
    says so, since such an appointment is never flagged "hết nhiệm kỳ"."""
    if not isinstance(term, str) or parse_term(term) is not None:
        return note
    warning = f"nhiệm kỳ «{term}» không đọc được năm (ghi như 2020-2025), giữ nguyên như đã ghi"
    return f"{note}; {warning}" if note else warning[:1].upper() + warning[1:]


class RowValidator:
    def __init__(
        self,
        layout: Layout,
        placer: Placer,
        catalogue: Catalogue,
        typed: bool,
        keep_raw: bool = False,
        today: dt.date | None = None,
    ) -> None:
        self.layout, self.placer, self.catalogue = layout, placer, catalogue
        self.typed, self.keep_raw = typed, keep_raw
        self.today = today or dt.date.today()  # no appointment starts or is decided after it
        self.cols = {key: layout.index(key) for key in CONTRACT_FIELDS}
        extras = [
            (key, BY_KEY[key].kind, layout.index(key))
            for key in EXTRA_FIELDS
            if layout.index(key) is not None
        ]
        self.period = _period_columns(layout)
        self.keys = (
            CONTRACT_FIELDS
            + tuple(key for key, _, _ in extras)
            + tuple(key for key, _ in self.period)
        )
        self.i_term = self.keys.index("term") if "term" in self.keys else None
        lengths = catalogue.max_lengths
        # (index, key, limit, a length at or under which the value surely fits: casefold, which
        # the name's search keys go through, makes a text at most 3 times longer)
        self.lengths = tuple(
            (i, key, lengths[key], lengths[key] // 3 if key == "full_name" else lengths[key])
            for i, key in enumerate(self.keys)
            if key in lengths
        )
        split = layout.dob_split if self.cols["dob"] is None else {}
        self.dob_split = (split[MALE].index, split[FEMALE].index) if split else None
        marks = layout.gender_marks if self.cols["gender"] is None else {}
        self.marks = (marks[MALE].index, marks[FEMALE].index) if marks else None
        used = (
            [i for i in self.cols.values() if i is not None]
            + [i for _, _, i in extras]
            + [i for _, i in self.period]
        )
        blank = max(used + list(self.dob_split or ()) + list(self.marks or ()), default=0) + 1
        # Fields the file lacks read index `blank`, which must hold nothing: rows are padded to
        # reach it, and cut at it when a column nobody reads ("Nơi sinh") sits there.
        self.blank, self.width = blank, blank + 1
        self.extras = tuple((kind, index, {}) for _, kind, index in extras)
        # The birth date is not here: `_dob_cell` reads it, from one column or a Nam/Nữ split.
        self.indexes = tuple(
            blank if self.cols[k] is None else self.cols[k]
            for k in CONTRACT_FIELDS
            if k != "dob"
        )
        self._eth: dict[object, str | None] = {}
        self._text: dict[object, str | None] = {}
        self._gender: dict[object, tuple[str | None, str | None]] = {}

    def validate(self, row: DataRow) -> ParsedRow:
        cells = row.cells
        if len(cells) < self.width:
            cells = cells + [""] * (self.width - len(cells))
        elif cells[self.blank] not in ("", None):
            cells = cells[: self.blank] + [""]
        get = cells.__getitem__
        i_name, i_gender, i_eth, i_unit, i_district, i_role, i_level, i_position, i_cccd = (
            self.indexes
        )
        name = normalise_name(get(i_name))
        dob_cell, dob_col, split_gender = self._dob_cell(get)
        dob, dob_problem = parse_dob(dob_cell, self.typed)
        gender, gender_problem = self._gender_of(get, i_gender, split_gender)
        place = self.placer.place(
            get(i_role), get(i_level), get(i_unit), get(i_district), row.section
        )
        cccd_cell = get(i_cccd)
        cccd, cccd_problem = parse_cccd(cccd_cell, self.typed)
        unit = place.unit
        data = (
            name,
            dob if dob else clean_text(dob_cell),
            gender,
            self._ethnicity(get(i_eth)),
            unit.name if unit else place.unit_text,
            place.district,
            place.role,
            place.level,
            self._clean(get(i_position)),
            cccd if cccd else clean_text(cccd_cell),
        )
        if self.extras:
            data += tuple(
                self._extra(kind, cells[index], memo) for kind, index, memo in self.extras
            )
        period_problem = None
        if self.period:
            period, period_problem = self._period(cells, dob)
            data += period
        problem = (
            self._first_problem(
                name, dob_problem, dob_col, gender_problem, place.problem, cccd_problem
            )
            or self._too_long(data)
            or period_problem
        )
        landing = place.landing
        unit_id = landing.id if landing else unit.id if unit else None
        keys = self.keys
        if place.workplace is not None:
            keys, data = self._with_workplace(data, place.workplace)
        note = place.note if self.i_term is None else _term_note(place.note, data[self.i_term])
        if problem:
            return ParsedRow(row.number, keys, data, unit_id, *problem, raw=tuple(row.cells),
                             note=note, current_unit=landing.name if landing else None,
                             choices=place.choices)
        return ParsedRow(
            row.number, keys, data, unit_id, raw=tuple(row.cells) if self.keep_raw else (),
            note=note, current_unit=landing.name if landing else None,
        )

    # --- pieces -----------------------------------------------------------------------------
    def _with_workplace(self, data: tuple, workplace: str) -> tuple[tuple[str, ...], tuple]:
        """An agency written as the unit is the workplace, unless the row gives one."""
        if "workplace" not in self.keys:
            return (*self.keys, "workplace"), (*data, workplace)
        i = self.keys.index("workplace")
        if data[i] is not None:
            return self.keys, data
        return self.keys, (*data[:i], workplace, *data[i + 1 :])

    def _dob_cell(self, get) -> tuple[object, int | None, str | None]:
        """(birth cell, its column, gender implied by a Nam/Nữ birth layout or 'both')."""
        if self.dob_split is None:
            column = self.cols["dob"]
            return (get(column) if column is not None else ""), column, None
        male_col, female_col = self.dob_split
        male, female = get(male_col), get(female_col)
        if not is_blank(male):
            return male, male_col, ("both" if not is_blank(female) else "Nam")
        if not is_blank(female):
            return female, female_col, "Nữ"
        return "", male_col, None

    def _gender_of(
        self, get, i_gender: int, split_gender: str | None
    ) -> tuple[str | None, str | None]:
        if self.cols["gender"] is not None:
            cell = get(i_gender)
            found = self._gender.get(cell)
            if found is None:
                found = self._gender[cell] = parse_gender(cell)
            return found
        if self.dob_split is not None:
            if split_gender == "both":
                return None, "năm sinh ghi ở cả cột Nam và cột Nữ"
            return split_gender, None
        if self.marks is not None:
            male, female = (not is_blank(get(i)) for i in self.marks)
            if male and female:
                return None, "đánh dấu cả Nam và Nữ"
            if male or female:
                return ("Nam" if male else "Nữ"), None
            return None, "chưa đánh dấu Nam hoặc Nữ"
        return None, None

    def _ethnicity(self, cell: object) -> str | None:
        found = self._eth.get(cell, _NO)
        if found is _NO:
            text = clean_text(cell)
            found = self._eth[cell] = (
                (self.catalogue.find_ethnicity(text) or text) if text else None
            )
        return found  # type: ignore[return-value]

    def _clean(self, cell: object) -> str | None:
        found = self._text.get(cell, _NO)
        if found is _NO:
            found = clean_text(cell)
            if len(self._text) < _MEMO_LIMIT:
                self._text[cell] = found
        return found  # type: ignore[return-value]

    @staticmethod
    def _extra(kind: str, cell: object, memo: dict) -> object:
        if cell == "":
            return None
        found = memo.get(cell, _NO)
        if found is _NO:
            found = extra_value(kind, cell)
            if len(memo) < _MEMO_LIMIT:
                memo[cell] = found
        return found

    def _first_problem(
        self, name, dob_problem, dob_col, gender_problem, place_problem, cccd_problem
    ):
        cols = self.cols
        if name is None:
            return (
                "missing_name",
                None,
                self._msg("full_name", "chưa có họ tên"),
                "full_name",
                cols["full_name"],
            )
        if dob_problem == MISSING:
            return "missing_date", None, self._msg("dob", "chưa có ngày sinh"), "dob", dob_col
        if dob_problem:
            return "bad_date", None, self._msg("dob", dob_problem), "dob", dob_col
        if gender_problem:
            phrase = "chưa ghi giới tính" if gender_problem == MISSING else gender_problem
            field = "dob" if self.dob_split is not None else "gender"
            column = (
                cols["gender"]
                if cols["gender"] is not None
                else (self.marks or self.dob_split or (None,))[0]
            )
            return "bad_gender", None, self._msg(field, phrase), "gender", column
        if place_problem:
            reason, field, phrase = place_problem
            return reason, None, self._msg(field, phrase), field, cols.get(field)
        if cccd_problem:
            return "bad_cccd", None, self._msg("cccd", cccd_problem), "cccd", cols["cccd"]
        return None

    def _too_long(self, data: tuple) -> tuple | None:
        """A value longer than its database column: one invalid row, not a failed commit."""
        for i, key, limit, fits in self.lengths:
            value = data[i]
            if (
                type(value) is str
                and len(value) > fits
                and (size := _stored_length(key, value)) > limit
            ):
                phrase = f"dài quá {limit} ký tự (có {size} ký tự)"
                return TOO_LONG, None, self._msg(key, phrase), key, self.layout.index(key)
        return None

    def _period(self, cells: list, dob: str | None) -> tuple[tuple, tuple | None]:
        """The appointment columns' values (in self.period order) and their problem, if any."""
        raw = {key: cells[index] for key, index in self.period}
        dates = {
            key: parse_appointment_date(raw[key], self.typed)
            for key in _PERIOD_DATES
            if key in raw
        }
        problem = self._period_problem(dates, dob)
        values = []
        for key, _ in self.period:
            if key == "end_reason":
                values.append(self._clean(raw[key]))
                continue
            value, bad = dates[key]
            # An unreadable date (always the row's problem) shows as written on the invalid row.
            values.append(value if bad is None else clean_text(raw[key]))
        return tuple(values), problem

    def _period_problem(self, dates: dict, dob: str | None) -> tuple | None:
        """The end date first (as before the start date was read alone), then the start date,
        then the decision's date."""
        end, end_problem = dates.get("end_date", (None, None))
        start, start_problem = dates.get("start_date", (None, None))
        if end_problem:
            return self._bad_period(BAD_END_DATE, "end_date", end_problem)
        if end is not None:
            if start_problem:
                return self._bad_period(
                    BAD_END_DATE,
                    "start_date",
                    f"{start_problem}; cần ngày bắt đầu hợp lệ để đối chiếu với ngày kết thúc",
                )
            if ends_before_start(start, end):
                return self._bad_period(
                    BAD_END_DATE,
                    "end_date",
                    f"ngày kết thúc {dmy(end)} trước ngày bắt đầu {dmy(start)}",
                )
        phrase = start_problem or (start and self._start_problem(start, dob))
        if phrase:
            return self._bad_period(BAD_START_DATE, "start_date", phrase)
        decision, decision_problem = dates.get("decision_date", (None, None))
        phrase = decision_problem or (decision and self._decision_problem(decision))
        if phrase:
            return self._bad_period(BAD_DECISION_DATE, "decision_date", phrase)
        return None

    def _start_problem(self, start: str, dob: str | None) -> str | None:
        if first_day(start) > self.today:
            return (
                f"ngày bắt đầu {dmy(start)} sau ngày nhập {self.today:%d/%m/%Y}; chỉ nhập nhiệm "
                "vụ đã bắt đầu"
            )
        if dob and ends_before_start(dob, start):
            return f"ngày bắt đầu {dmy(start)} trước ngày sinh {dmy(dob)}"
        return None

    def _decision_problem(self, decision: str) -> str | None:
        # Stored as a whole day (Appointment.decision_date): a month or a year would be made up.
        if decision.count("-") != 2:
            return f"«{dmy(decision)}» chưa đủ ngày, tháng, năm (ghi dạng dd/mm/yyyy)"
        if first_day(decision) > self.today:
            return f"ngày quyết định {dmy(decision)} sau ngày nhập {self.today:%d/%m/%Y}"
        return None

    def _bad_period(self, reason: str, field: str, phrase: str) -> tuple:
        return reason, None, self._msg(field, phrase), field, self.layout.index(field)

    def _msg(self, field: str, phrase: str) -> str:
        has_column = (
            self.layout.index(field) is not None
            or (field == "dob" and self.dob_split)
            or (field == "gender" and self.marks)
        )
        if not has_column:
            return phrase[:1].upper() + phrase[1:] + "."
        return f"Cột «{self.layout.title(field)}»: {phrase}."


def _stored_length(key: str, text: str) -> int:
    """The longest form of `text` the database keeps for `key`: the name fills its search keys
    too, which case folding can lengthen (ß -> ss)."""
    if key == "full_name":
        return max(len(text), len(text.casefold()))
    return len(text)


def _period_columns(layout: Layout) -> tuple[tuple[str, int], ...]:
    """(key, column) of the appointment columns, when the sheet has one of its dates: a file
    without them costs nothing more. The end reason alone is not read: it needs an end date."""
    if all(layout.index(key) is None for key in _PERIOD_DATES):
        return ()
    return tuple((key, i) for key in APPOINTMENT_FIELDS if (i := layout.index(key)) is not None)


class DuplicateTracker:
    """Key: the CCCD when present, else case-folded name + date of birth + unit."""

    def __init__(self) -> None:
        self._seen: dict[tuple, ParsedRow] = {}  # the rows are kept by the sheet anyway

    def check(self, row: ParsedRow, layout: Layout, cells: list | tuple = ()) -> ParsedRow:
        """`cells`: the row's cells, kept on a duplicate as on any invalid row (a valid row
        does not carry them), so that the error workbook can hand it back whole."""
        if row.reason is not None and row.reason not in _AFTER_DUPLICATE:  # these rank after it
            return row
        name, dob, cccd = row.data[0], row.data[1], row.data[9]
        key = ("cccd", cccd) if cccd else ("person", str(name).casefold(), dob, row.unit_id)
        first = self._seen.setdefault(key, row)
        if first is row:
            return row
        why = f"cùng số CCCD {cccd}" if cccd else "cùng họ tên, ngày sinh và đơn vị"
        field = "cccd" if cccd else "full_name"
        message = f"Trùng với dòng {first.row} ({why})." + _other_appointment(row, first)
        return replace(
            row,
            reason="duplicate_in_file",
            duplicate_of_row=first.row,
            field=field,
            message=message,
            column=layout.index(field),
            raw=row.raw or tuple(cells),
        )


def _other_appointment(row: ParsedRow, first: ParsedRow) -> str:
    """When one of two duplicate rows has an end date, they are most likely two appointments of
    one person (the complete export "Tất cả" writes a moved person twice): say so, and that the
    key stays one row per person in a sheet."""
    end, which = _end_date(row), "Dòng này"
    if end is None:
        end, which = _end_date(first), f"Dòng {first.row}"
    if end is None:
        return ""
    text = (
        f" {which} là một nhiệm vụ khác của cùng người, có ngày kết thúc {dmy(end)}; mỗi "
        "người chỉ được nhập một dòng trong một trang nên dòng này không được nhập"
    )
    return text + (
        "." if which == "Dòng này" else f" (muốn nhập dòng này, hãy bỏ dòng {first.row})."
    )


def _end_date(row: ParsedRow) -> str | None:
    """The row's end date as read (an unreadable one is no date)."""
    if row.reason == BAD_END_DATE:
        return None
    end = row.value("end_date")
    return end if isinstance(end, str) and end else None
