"""The dashboard's "Việc cần làm": one count per piece of pending work, each in the actor's scope
and each equal to the number of rows of the list it links to (the count uses that list's own
query or rule, with the list's default filters).

`counts(day)` is cached in the figure cache like the dashboard's other figures (keyed by scope and
day, stale once any registry write moves the data version). Import previews are counted apart,
on every request: the data version ignores import_batches, so a cached count would go stale.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for

from models import (
    Discipline,
    ImportBatch,
    ImportStatus,
    Level,
    Person,
    TransferRequest,
    TransferStatus,
    db,
)
from models.base import utcnow
from registry.core import access, figure_cache
from registry.dashboard.stats import trained_clause
from registry.eligibility import rules as eligibility
from registry.lists import ready as ready_lists
from registry.reorganise import followup
from registry.reorganise.service import REFORM_DAY
from registry.roster.query import RosterFilter, build_query
from registry.settings import service as settings
from registry.terms import service as terms

UNITS_WITHOUT_TTV = "don-vi-chua-co-ttv"
EXPIRING_DAYS = 30


@dataclass(frozen=True)
class Item:
    key: str
    count: int
    label: str
    url: str


def counts(day: dt.date) -> dict[str, int]:
    """Every cached count of the current scope on `day` (JSON-able for the figure cache)."""
    return figure_cache.cached("todo", (access.scope_key(), day.isoformat()),
                               lambda: _compute(day))


def _compute(day: dt.date) -> dict[str, int]:
    return {"transfers": pending_transfers(), "rerecognise": rerecognition_appointments(day),
            "rerecognise_people": rerecognition_people(day), "terms": terms_ended(day),
            "expiring": expiring_disciplines(day), "overdue": overdue_training(day),
            "units": units_without_ttv(day)}


def pending_transfers() -> int:
    """/transfers/ at its default tab: requests waiting for a decision."""
    return _count(sa.select(sa.func.count(TransferRequest.id))
                  .where(TransferRequest.status == TransferStatus.PENDING))


def rerecognition_appointments(day: dt.date) -> int:
    """/reorganise/rerecognition (the province's admins): active cấp huyện appointments."""
    return len(followup.rerecognition_list(day))


def rerecognition_people(day: dt.date) -> int:
    """The same people as the roster lists them (level filter) for those who cannot open the
    admins' page: people, not appointments, as the roster counts."""
    if day < REFORM_DAY:  # before the two-level day cấp huyện is nothing to review
        return 0
    return _roster_count(RosterFilter(level=Level.HUYEN.value), day)


def terms_ended(day: dt.date) -> int:
    """/terms/ended unfiltered: active appointments past their term."""
    return terms.page_of(terms.TermFilter(), day, 1, 1).total


def expiring_clause(day: dt.date, days: int = EXPIRING_DAYS) -> sa.ColumnElement[bool]:
    """In force on `day` and ending within `days` days (the disciplines list's expiring_within)."""
    return sa.and_(Discipline.in_force_clause(day),
                   Discipline.effective_until.between(day, day + dt.timedelta(days=days)))


def expiring_disciplines(day: dt.date) -> int:
    return _count(sa.select(sa.func.count(Discipline.id)).join(Discipline.person)
                  .where(expiring_clause(day)))


def overdue_training(day: dt.date) -> int:
    """/training/overdue unfiltered: active people with no counted, completed course within the
    settings' window (eligibility.training_overdue's rule, as one aggregate)."""
    rules = eligibility.Rules.load()
    stmt = build_query(RosterFilter(), day).with_only_columns(sa.func.count(Person.id)) \
        .where(~trained_clause(day, rules)).order_by(None)
    return _count(stmt)


def units_without_ttv(day: dt.date) -> int:
    """The ready-made list «Đơn vị chưa có tuyên truyền viên», for the whole scope."""
    return len(ready_lists.run(UNITS_WITHOUT_TTV, None, day).rows)


def waiting_imports() -> int:
    """/imports/?status=previewed: previews not yet confirmed or discarded, those past the
    setting's days left out (the history page discards them before it lists)."""
    cutoff = utcnow() - dt.timedelta(days=settings.get("import_preview_days"))
    return _count(sa.select(sa.func.count(ImportBatch.id)).where(
        ImportBatch.status == ImportStatus.PREVIEWED, ImportBatch.created_at >= cutoff))


def _roster_count(f: RosterFilter, day: dt.date) -> int:
    return _count(build_query(f, day).with_only_columns(sa.func.count(Person.id)).order_by(None))


def _count(stmt: sa.Select) -> int:
    return db.session.execute(stmt).scalar_one() or 0


def items(day: dt.date) -> list[Item]:
    """The block's lines, most urgent first: someone waits for a decision, a preview expires,
    people hold a role no body recognises any more, then the reviews of the team."""
    n = counts(day) | {"imports": waiting_imports()}
    admin = access.is_admin()
    found = [
        Item("transfers", n["transfers"], "đề nghị chuyển công tác chờ duyệt",
             url_for("transfers.index", status=TransferStatus.PENDING.value)),
        Item("imports", n["imports"], "tệp nhập đang chờ xác nhận",
             url_for("imports.history", status=ImportStatus.PREVIEWED.value)),
        _rerecognition(n, admin),
        Item("terms", n["terms"], "bổ nhiệm đã hết nhiệm kỳ", url_for("terms.ended")),
        Item("expiring", n["expiring"], f"kỷ luật hết hiệu lực trong {EXPIRING_DAYS} ngày tới",
             url_for("disciplines.index", expiring_within=EXPIRING_DAYS)),
        Item("overdue", n["overdue"], f"người chưa bồi dưỡng trong "
             f"{eligibility.Rules.load().window_months} tháng", url_for("training.overdue")),
        Item("units", n["units"], "xã, thôn chưa có tuyên truyền viên",
             url_for("lists.preset", slug=UNITS_WITHOUT_TTV)),
    ]
    return [item for item in found if item is not None]


def _rerecognition(n: dict[str, int], admin: bool) -> Item | None:
    """Shown only where it applies: someone in the scope still holds a cấp huyện role after
    the two-level day. Admins get their re-recognition page, others the roster."""
    if admin and n["rerecognise"]:
        return Item("rerecognise", n["rerecognise"], "bổ nhiệm cấp huyện chờ công nhận lại",
                    url_for("reorganise.rerecognition"))
    if not admin and n["rerecognise_people"]:
        return Item("rerecognise", n["rerecognise_people"], "người giữ vai trò cấp huyện chờ "
                    "công nhận lại", url_for("roster.index", level=Level.HUYEN.value))
    return None
