"""The import fills the term's years (new people's bulk INSERT and moves alike); a term it
cannot read is kept as written, with a note in the preview, never a refused row."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from models import Person, db
from registry.importing.preview import iter_rows
from tests.importing.history import DISTRICT, commit, known, preview, xlsx

HEADER = ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Loại", "Cấp",
          "Huyện/Thành phố", "Đơn vị", "Số CCCD", "Từ ngày", "Nhiệm kỳ")


def _row(name: str, cccd: str, term: str, unit: str = "Xã Đắk Hring") -> tuple:
    return (1, name, dt.date(1970, 1, 1), "Nữ", "Kinh", "TTV", "Xã", DISTRICT, unit, cccd,
            dt.date(2021, 3, 1), term)


def _terms(cccd: str) -> list[tuple]:
    db.session.expire_all()
    person = db.session.execute(sa.select(Person).where(Person.cccd == cccd)).scalar_one()
    return sorted((a.start_date, a.term, a.term_start, a.term_end) for a in person.appointments)


def test_new_people_get_the_years_and_an_unreadable_term_is_kept_with_a_note(make):
    batch = preview(make, xlsx(_row("Y Một", "062190888001", "NK 2020 – 2025"),
                               _row("Y Hai", "062190888002", "Khóa XII"), header=HEADER),
                    "nk.xlsx")
    rows = list(iter_rows(db.session, batch))
    assert [r.status for r in rows] == ["new", "new"]
    assert rows[0].data.get("note") is None
    assert rows[1].data["note"] == ("Nhiệm kỳ «Khóa XII» không đọc được năm (ghi như "
                                    "2020-2025), giữ nguyên như đã ghi")
    commit(make, batch)
    assert _terms("062190888001") == [(dt.date(2021, 3, 1), "NK 2020 – 2025", 2020, 2025)]
    assert _terms("062190888002") == [(dt.date(2021, 3, 1), "Khóa XII", None, None)]


def test_a_move_fills_the_years_of_the_new_appointment(make):
    known(make, "Trần Thị Chuyển", "062070888003")   # at Xã Đắk Hring since 01/01/2024
    row = _row("Trần Thị Chuyển", "062070888003", "2025-2030", unit="Xã Đắk La")
    row = (*row[:10], dt.date(2025, 3, 1), row[11])
    commit(make, preview(make, xlsx(row, header=HEADER), "chuyen.xlsx"))
    assert _terms("062070888003")[-1] == (dt.date(2025, 3, 1), "2025-2030", 2025, 2030)
