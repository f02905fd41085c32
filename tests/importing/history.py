"""What the tests of history rows share: the complete layout's columns, workbooks of its rows,
people who moved unit, and preview and commit as an officer of the district."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from models import Appointment, EndReason, Gender, ImportBatch, Level, Person, Role, db
from registry.core import access
from registry.core.audit import Actor, acting_as
from registry.importing.confirm import CommitRefused, commit_batch
from registry.importing.lifecycle import planned_writes
from registry.importing.preview import build_preview

DISTRICT = "Huyện Đắk Hà"
DOB = dt.date(1970, 1, 1)
HEADER = ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Loại", "Cấp", "Huyện/Thành phố",
          "Đơn vị", "Số CCCD", "Ngày bắt đầu", "Ngày kết thúc", "Lý do kết thúc")


def xlsx(*rows: tuple, header: tuple = HEADER) -> bytes:
    """A workbook of `header` (by default HEADER) and `rows`."""
    wb = openpyxl.Workbook()
    for row in (header, *rows):
        wb.active.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def district_scope(make):
    return access.scoped(access.scope_for_unit(make.unit(DISTRICT)))


def known(make, name: str, cccd: str | None = None, unit: str = "Xã Đắk Hring", **kw) -> Person:
    """A person as the tests' rows describe them: Nữ, Kinh, born on DOB."""
    return make.person(name, unit, dob=DOB, gender=Gender.NU, ethnicity="Kinh", cccd=cccd, **kw)


def moved_person(make, name: str, cccd: str | None = None, now: str = "Xã Đắk Hring",
                 before: str = "Xã Đắk La") -> Person:
    """Active at `now` since 2024; before that, an appointment at `before` ended by a transfer."""
    person = known(make, name, cccd, unit=now)
    old = make.unit(before)
    db.session.add(Appointment(person=person, role=Role.TTV, level=Level.CO_SO, unit=old,
                               unit_name_snapshot=old.name, start_date=dt.date(2019, 1, 1),
                               end_date=dt.date(2023, 12, 31),
                               end_reason=EndReason.CHUYEN_CONG_TAC))
    db.session.commit()
    return person


def preview(make, data: bytes, file_name: str) -> ImportBatch:
    actor = Actor(None, "test")
    with district_scope(make), acting_as(actor):
        batch = build_preview(db.session, data, file_name, unit=make.unit(DISTRICT), actor=actor,
                              max_bytes=10 * 1024 * 1024)
        db.session.commit()
    return batch


def commit(make, batch: ImportBatch, today: dt.date | None = None) -> None:
    """Confirm `batch`; one that would write nothing is refused (and nothing changes)."""
    with district_scope(make), acting_as(Actor(None, "test")):
        if not planned_writes(batch):
            with pytest.raises(CommitRefused, match="Không có dòng nào cần ghi"):
                commit_batch(db.session, batch, today=today)
            db.session.rollback()
            return
        commit_batch(db.session, batch, today=today)
        db.session.commit()
