"""Transfer requests: filed by an import that met a CCCD registered outside the uploader's
scope, decided by someone whose scope covers both units. Callers commit."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from imports import history
from models import ImportBatch, ImportRow, Person, Role, TransferRequest, Unit
from models import TransferStatus as Status
from models.base import utcnow
from registry.core import access
from registry.core.audit import current_actor
from registry.core.rules import RuleViolation, StaleEdit
from registry.importing import apply as applying
from registry.importing.match import LEVEL_OF, Matcher
from registry.refdata import ref_codes

# The file's values a request keeps and shows: the uploader's own data, nothing of the person.
SHOWN_VALUES = ("full_name", "dob", "gender", "ethnicity", "hometown", "cccd", "unit", "district",
                "role", "level", "position", "start_date", "decision_no", "decision_date",
                "decision_body", "term", "end_date")


def file_requests(s: Session, batch: ImportBatch, rows: Iterable[ImportRow]) -> int:
    """File one pending request per transfer row of a confirmed batch; returns how many. A
    person already asked for by the same unit (the same file confirmed again) is not asked
    for twice."""
    rows = [r for r in rows if r.person_id is not None]
    if not rows:
        return 0
    ids = sorted({r.person_id for r in rows})
    # Unscoped on purpose: the person is outside the uploader's scope. Where they are is kept
    # on the request for those who decide it, and never shown to the uploader.
    where = dict(s.execute(access.unscoped(
        sa.select(Person.id, Person.unit_id).where(Person.id.in_(ids)))).all())
    pending = set(s.execute(
        sa.select(TransferRequest.person_id, TransferRequest.unit_id).where(
            TransferRequest.status == Status.PENDING, TransferRequest.person_id.in_(ids))).all())
    actor = current_actor()
    filed = 0
    for r in rows:
        values, unit_id = r.data["values"], r.data["unit_id"]
        if r.person_id not in where or (r.person_id, unit_id) in pending:
            continue
        pending.add((r.person_id, unit_id))
        s.add(TransferRequest(
            unit_id=unit_id, from_unit_id=where[r.person_id], person_id=r.person_id,
            batch_id=batch.id, file_row=r.row, requested_by_id=actor.user_id,
            requested_by=actor.name, role=Role.parse(values["role"]),
            level=LEVEL_OF[values["level"]], values=values, status=Status.PENDING))
        filed += 1
    s.flush()
    return filed


def withdraw_pending(s: Session, batch: ImportBatch) -> None:
    """An undone batch takes back the requests nobody decided yet; decided ones stay, they
    are the decider's own audited act."""
    for req in s.execute(sa.select(TransferRequest).where(
            TransferRequest.batch_id == batch.id,
            TransferRequest.status == Status.PENDING)).scalars():
        s.delete(req)
    s.flush()


def person_if_decider(s: Session, req: TransferRequest) -> Person | None:
    """The person asked for, when the actor may decide: their scope covers the receiving
    unit, the unit asked from and where the person is now, and they may write. None
    otherwise (the requester's side: it sees the state of its request, nothing more)."""
    return decidable(s, [req]).get(req.id)


def decidable(s: Session, reqs: list[TransferRequest]) -> dict[int, Person]:
    """request id -> the person, for the requests the actor may decide (one query for all)."""
    scope = access.current_scope()
    if not reqs or (scope is not None and not scope.can_write):
        return {}
    # Scoped: a person outside the actor's scope is not loaded at all.
    people = {p.id: p for p in s.execute(
        sa.select(Person).options(joinedload(Person.unit))
        .where(Person.id.in_({r.person_id for r in reqs}))).scalars()}
    out = {}
    for req in reqs:
        person = people.get(req.person_id)
        units = (req.unit, req.from_unit, person.unit if person else None)
        if all(access.unit_in_scope(u) for u in units):
            out[req.id] = person
    return out


def _decider(s: Session, req: TransferRequest, expected_version: int) -> Person:
    """The person, once the actor may decide, the request is open and the page is fresh."""
    person = person_if_decider(s, req)
    if person is None:
        raise access.AccessDenied
    if req.status is not Status.PENDING:
        raise RuleViolation(None, f"Đề nghị này đã được xử lý ({req.status.label.lower()}) "
                                  f"ngày {req.decided_at:%d/%m/%Y}; không xử lý lại.")
    if req.version != expected_version:
        raise StaleEdit
    return person


def _close(req: TransferRequest, status: Status) -> None:
    actor = current_actor()
    req.status, req.decided_at = status, utcnow()
    req.decided_by_id, req.decided_by = actor.user_id, actor.name


def approve(s: Session, req: TransferRequest, day: dt.date, *, expected_version: int) -> None:
    """Move the person into the receiving unit from `day` (the old appointment ends the day
    before with reason "chuyển công tác"; a history row only updates the person's own
    fields) and apply the file's values, as an import by the decider would."""
    person = _decider(s, req, expected_version)
    # A move rewrites the appointments active on `day`: one ended since must stay as it was.
    latest = max((d for a in person.appointments for d in (a.start_date, a.end_date) if d),
                 default=None)
    if latest is not None and day <= latest:
        raise RuleViolation("transfer_date", "Ngày chuyển phải sau các ngày đã ghi trong "
                                             "quá trình nhiệm vụ của người này "
                                             f"(sau {latest:%d/%m/%Y}).")
    values = {**req.values, "unit_id": req.unit_id}
    if history.ended_on(values, day) is None:
        # The decider's day is the move's day, whatever start the file wrote: the person
        # served in the old unit until then (their records there stay theirs).
        values["start_date"] = day.isoformat()
    plan = Matcher(s, access.current_scope(), day).plan([values])[0]
    if plan.status == "invalid" or plan.person_id != person.id:
        raise RuleViolation(None, plan.message or "Số CCCD trong đề nghị không còn khớp với hồ "
                                                  "sơ này; hãy từ chối đề nghị.")
    if plan.changes:
        units = {u.id: u for u in s.execute(sa.select(Unit)).scalars()}
        applying.apply_updates(s, [(person.id, values, plan.changes)],
                               ref_codes(s, "political_theory"), units, day, applying.Applied())
    if history.ended_on(values, day) is None:
        person.unit_id = req.unit_id
    req.transfer_date = day
    _close(req, Status.APPROVED)
    s.flush()


def reject(s: Session, req: TransferRequest, reason: str, *, expected_version: int) -> None:
    """Close the request without touching the person; the reason is shown to the requester."""
    _decider(s, req, expected_version)
    if not (reason or "").strip():
        raise RuleViolation("reason", "Vui lòng nhập lý do từ chối.")
    req.reason = reason.strip()
    _close(req, Status.REJECTED)
    s.flush()

