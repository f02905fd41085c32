"""Bulk entry of a unit's ratings for a year: one page, one Save, all or nothing.

Each row of the page carries the rating and note it was loaded with (`was_*`). A row whose
submitted values equal what it was loaded with was not touched: it is never written, whatever
happened to it meanwhile. A touched row is written only if nobody changed it since the page was
loaded; if anybody did, the whole save is refused and nothing is written. A touched row left
without a rating deletes the person's evaluation of that year (the page says so); an untouched
empty row writes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

from models import Evaluation, EvaluationRating, Person, db
from registry.core import access
from registry.core.rules import RuleViolation
from registry.evaluations.service import ratings_of

NOTE_MAX = 500


@dataclass(frozen=True)
class Row:
    """One person's row as submitted: the chosen rating (code, "" for none) and note, and the
    same two as the page was loaded with."""

    rating: str
    note: str
    was_rating: str
    was_note: str

    @property
    def touched(self) -> bool:
        return (self.rating, self.note) != (self.was_rating, self.was_note)


@dataclass
class Outcome:
    added: int = 0
    changed: int = 0
    deleted: int = 0

    def message(self) -> str:
        if not (self.added or self.changed or self.deleted):
            return "Không có thay đổi nào để lưu."
        parts = [f"thêm {self.added}" if self.added else "",
                 f"sửa {self.changed}" if self.changed else "",
                 f"xóa {self.deleted}" if self.deleted else ""]
        return "Đã lưu đánh giá: " + ", ".join(p for p in parts if p) + " người."


def state(item: Evaluation | None) -> tuple[str, str]:
    """(rating code, note) of a stored evaluation, ("", "") for none: what a row is loaded with."""
    if item is None:
        return "", ""
    return item.rating.value, item.note or ""


def parse(form, ids: list[int]) -> tuple[dict[int, Row], dict[int, str]]:
    """The rows of the people `ids` from a submitted form, and a message per faulty row."""
    rows, errors = {}, {}
    for pid in ids:
        if f"was_rating_{pid}" not in form:
            continue  # not on the submitted page
        row = Row(form.get(f"rating_{pid}", "").strip(), " ".join(
            form.get(f"note_{pid}", "").split()), form.get(f"was_rating_{pid}", ""),
            " ".join(form.get(f"was_note_{pid}", "").split()))
        rows[pid] = row
        if row.rating and EvaluationRating.parse(row.rating) is None:
            errors[pid] = "Xếp loại không hợp lệ."
        elif len(row.note) > NOTE_MAX:
            errors[pid] = f"Ghi chú tối đa {NOTE_MAX} ký tự."
        elif row.note and not row.rating and not row.was_rating:
            errors[pid] = "Hãy chọn xếp loại cho ghi chú này (chưa có đánh giá để ghi chú vào)."
    return rows, errors


def stale(rows: dict[int, Row], current: dict[int, Evaluation]) -> list[int]:
    """The touched rows whose stored evaluation changed since the page was loaded."""
    return [pid for pid, row in rows.items()
            if row.touched and state(current.get(pid)) not in (
                (row.was_rating, row.was_note), (row.rating, row.note))]


def save(year: int, people: dict[int, Person], rows: dict[int, Row]) -> Outcome:
    """Write the touched rows of `people` for `year`, or nothing at all.

    :raise RuleViolation: a row changed since the page was loaded (named in the message).
    :raise AccessDenied: a touched row is of a person the actor may not write.
    """
    rows = {pid: row for pid, row in rows.items() if pid in people}
    current = ratings_of(list(rows), year)
    changed = stale(rows, current)
    if changed:
        names = ", ".join(people[pid].full_name for pid in changed[:5])
        more = f" và {len(changed) - 5} người khác" if len(changed) > 5 else ""
        raise RuleViolation(None, f"Đánh giá của {names}{more} vừa được người khác sửa sau khi "
                                  "bạn mở trang. Chưa có gì được lưu: các dòng đó nay hiện "
                                  "đánh giá mới, hãy xem lại rồi bấm Lưu lần nữa.")
    outcome = Outcome()
    for pid, row in rows.items():
        if row.touched and (row.rating, row.note) != state(current.get(pid)):
            _write(year, people[pid], row, current.get(pid), outcome)
    db.session.flush()
    return outcome


def _write(year: int, person: Person, row: Row, item: Evaluation | None,
           outcome: Outcome) -> None:
    access.require_write(person.unit)
    rating = EvaluationRating.parse(row.rating)
    if rating is None:
        if item is not None:
            db.session.delete(item)
            outcome.deleted += 1
    elif item is None:
        db.session.add(Evaluation(person=person, person_id=person.id, year=year, rating=rating,
                                  note=row.note or None))
        outcome.added += 1
    else:
        item.rating, item.note = rating, row.note or None
        outcome.changed += 1
