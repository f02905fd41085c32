"""The records of a person that can carry files, and how they are named: a key
"<table>:<id>" in forms and links, a short Vietnamese label in lists."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from models import (
    Activity,
    Appointment,
    Attendance,
    Commendation,
    Discipline,
    Payment,
    Person,
)
from registry import refdata
from registry.core.templating import vn_date


@dataclass(frozen=True)
class RecordKind:
    model: type
    rows: Callable[[Person], list]  # the person's records of this kind, as the page lists them
    label: Callable[[object], str]


def _decision(row) -> str:
    parts = [row.decision_no or "", vn_date(row.decision_date) if row.decision_date else ""]
    text = ", ".join(p for p in parts if p)
    return f" (QĐ {text})" if text else ""


def _appointment(a: Appointment) -> str:
    return f"Bổ nhiệm {a.role.value} {a.level.label} từ {vn_date(a.start_date)}{_decision(a)}"


def _commendation(c: Commendation) -> str:
    form = refdata.names("commendation_form").get(c.form, c.form)
    return f"Khen thưởng {c.year}: {form}{_decision(c)}"


def _discipline(d: Discipline) -> str:
    form = refdata.names("discipline_form").get(d.form, d.form)
    return f"Kỷ luật: {form}{_decision(d)}"


# Keyed by the record model's table name: the value Attachment.record_table holds.
KINDS: dict[str, RecordKind] = {
    kind.model.__tablename__: kind for kind in (
        RecordKind(Appointment, lambda p: p.appointments, _appointment),
        RecordKind(Attendance, lambda p: p.attendances,
                   lambda a: f"Bồi dưỡng: {a.course.name}"),
        RecordKind(Activity, lambda p: p.activities,
                   lambda a: f"Buổi báo cáo {vn_date(a.date)}: {a.topic}"),
        RecordKind(Payment, lambda p: p.payments,
                   lambda p: f"Chi trả {p.period.strftime('%m/%Y')}: {p.kind.label}"),
        RecordKind(Commendation, lambda p: p.commendations, _commendation),
        RecordKind(Discipline, lambda p: p.disciplines, _discipline),
    )
}
MODELS = tuple(kind.model for kind in KINDS.values())


def key(table: str, record_id: int) -> str:
    return f"{table}:{record_id}"


def key_of(record) -> str:
    return key(record.__tablename__, record.id)


def parse_key(text: str | None) -> tuple[type, int] | None:
    """The model and id a key names; None for anything else."""
    table, _, ident = (text or "").partition(":")
    if table not in KINDS or not ident.isdigit() or not 0 < int(ident) < 2**63:
        return None
    return KINDS[table].model, int(ident)


def labels(person: Person) -> dict[str, str]:
    """Every record of `person` that can carry files, key → label, in the page's order."""
    return {key_of(row): kind.label(row) for kind in KINDS.values() for row in kind.rows(person)}
