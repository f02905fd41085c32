"""Preview and apply one decision for many people: all or nothing. Plain functions: the views
load the selection through access and commit once."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models import Person, db
from registry.bulk.actions import DO, ERROR, SKIP, Action
from registry.bulk.selection import stamp
from registry.core import access
from registry.core.rules import RuleViolation

STALE = ("Danh sách đã thay đổi từ khi xem trước (có người được thêm, bớt hoặc hồ sơ, bổ nhiệm "
         "vừa được sửa). Chưa có gì được lưu: hãy xem lại bản xem trước mới dưới đây rồi xác "
         "nhận lại.")


@dataclass
class Preview:
    lines: list[tuple[Person, str, str]]  # (person, DO | SKIP | ERROR, what or why)
    stamp: str
    refusal: str | None = None  # what the services refused when the decision was tried

    def of(self, status: str) -> list[tuple[Person, str, str]]:
        return [line for line in self.lines if line[1] == status]

    @property
    def todo(self) -> list[Person]:
        return [p for p, status, _ in self.lines if status == DO]

    @property
    def counts(self) -> dict[str, int]:
        return {s: len(self.of(s)) for s in (DO, SKIP, ERROR)}

    @property
    def can_confirm(self) -> bool:
        return bool(self.todo) and not self.of(ERROR) and self.refusal is None


def preview(action: Action, people: list[Person], values: dict, today: dt.date) -> Preview:
    """What the decision would do to each person; when nobody is in error, the decision is
    also tried for real and undone, so that every rule of the services has its say."""
    result = Preview([(p, *line) for p, line in zip(people, action.plan(people, values, today),
                                                    strict=True)], stamp(people))
    if result.todo and not result.of(ERROR):
        result.refusal = _try(action, result.todo, values, today)
    return result


def _try(action: Action, people: list[Person], values: dict, today: dt.date) -> str | None:
    savepoint = db.session.begin_nested()
    try:
        action.run(people, values, today)
    except RuleViolation as exc:
        return exc.message
    finally:
        savepoint.rollback()
    return None


def apply(action: Action, people: list[Person], values: dict, today: dt.date,
          expected_stamp: str) -> int:
    """Apply the decision to everyone the preview showed; returns how many people changed.

    :raise AccessDenied: the actor may only read, or may not write one of the people.
    :raise RuleViolation: the selection changed since the preview (`STALE`), someone is in
        error, nobody is left to change, or a service refused (nothing is then saved).
    """
    access.require_writer()
    if stamp(people) != expected_stamp:
        raise RuleViolation(None, STALE)
    lines = action.plan(people, values, today)
    errors = [(p, why) for p, (status, why) in zip(people, lines, strict=True) if status == ERROR]
    if errors:
        raise RuleViolation(None, f"{len(errors)} người không thể áp dụng (ví dụ "
                                  f"{errors[0][0].full_name}: {errors[0][1]}). Chưa có gì được "
                                  "lưu.")
    todo = [p for p, (status, _) in zip(people, lines, strict=True) if status == DO]
    if not todo:
        raise RuleViolation(None, "Không có ai cần thay đổi: mọi người đã chọn đều được bỏ qua.")
    action.run(todo, values, today)
    db.session.flush()
    return len(todo)


__all__ = ["DO", "ERROR", "SKIP", "STALE", "Preview", "apply", "preview"]
