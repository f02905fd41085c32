"""Write an Excel-like roster (shared strings, real date cells, a title block, 19 columns, or 11
with write_narrow) of N rows.

xlsxwriter without constant_memory writes a shared-strings table and a <dimension>, as Excel does.
"""

from __future__ import annotations

import datetime as dt
import random
import sys

import xlsxwriter

HEADER = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Tôn giáo",
    "Loại",
    "Cấp",
    "Huyện/Thành phố",
    "Đơn vị",
    "Chức vụ",
    "Số CCCD",
    "Ngày vào Đảng",
    "Trình độ học vấn",
    "Chuyên môn",
    "Lý luận chính trị",
    "Điện thoại",
    "Email",
    "Ghi chú",
]
DISTRICTS = {
    "Huyện Đắk Hà": ["Xã Đắk Hring", "Xã Đắk La", "Xã Đắk Mar", "Xã Hà Mòn", "Xã Đắk Ui"],
    "Huyện Sa Thầy": ["Xã Ya Ly", "Xã Mô Rai", "Xã Sa Bình", "Xã Rơ Kơi", "Thị trấn Sa Thầy"],
    "Huyện Kon Plông": ["Xã Hiếu", "Xã Măng Cành", "Xã Đắk Nên", "Xã Pờ Ê", "Xã Ngọc Tem"],
}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Y", "A", "Đinh", "Ksor", "Rơ Châm"]
MIDDLE = ["Văn", "Thị", "Hữu", "Ngọc", "Thanh", ""]
GIVEN = ["An", "Bình", "Blô", "Thút", "Hằng", "Ánh", "Dũng", "Hiền", "Kha", "Nhung", "Sang"]
ETHNIC = ["Kinh", "Xơ Đăng", "Ba Na", "Gia Rai", "Giẻ Triêng", "Brâu", "Rơ Măm"]
POSITIONS = [
    "Bí thư Chi bộ thôn",
    "Trưởng thôn",
    "Phó Chủ tịch UBND xã",
    "Giáo viên",
    "Chủ tịch Hội Nông dân xã",
    "Công chức Văn hóa - Xã hội",
]


def _book(path: str, title: str, header: list[str]):
    """(workbook, its one sheet with the title and header written, the date format)."""
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Danh sách")
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    bold = wb.add_format({"bold": True})
    ws.merge_range(0, 0, 0, 10, title, bold)
    ws.write_row(2, 0, header, bold)
    return wb, ws, date_fmt


def _person(ws, r: int, rng: random.Random, date_fmt) -> dt.date:
    """Write STT, name, birth date, gender and ethnic group (columns A-E) of row r; the date."""
    dob = dt.date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
    name = " ".join(x for x in (rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)) if x)
    ws.write_number(r, 0, r - 2)
    ws.write_string(r, 1, name)
    ws.write_datetime(r, 2, dt.datetime.combine(dob, dt.time()), date_fmt)
    ws.write_string(r, 3, rng.choice(["Nam", "Nữ"]))
    ws.write_string(r, 4, rng.choice(ETHNIC))
    return dob


def write(path: str, rows: int, seed: int = 7, with_cccd: bool = True) -> None:
    rng = random.Random(seed)
    title = "DANH SÁCH BÁO CÁO VIÊN, TUYÊN TRUYỀN VIÊN TỈNH KON TUM"
    wb, ws, date_fmt = _book(path, title, HEADER)
    districts = list(DISTRICTS)
    for i in range(rows):
        r = i + 3
        district = districts[i % len(districts)]
        bcv = i % 9 == 0
        dob = _person(ws, r, rng, date_fmt)
        ws.write_string(r, 5, "Không")
        ws.write_string(r, 6, "BCV" if bcv else "TTV")
        ws.write_string(r, 7, "Huyện" if bcv else "Xã")
        ws.write_string(r, 8, district)
        ws.write_string(r, 9, "" if bcv else rng.choice(DISTRICTS[district]))
        ws.write_string(r, 10, rng.choice(POSITIONS))
        if with_cccd:
            ws.write_string(
                r, 11, f"0{62 + i % 3:02d}{dob.year % 100:02d}{i:07d}"[:12].rjust(12, "0")
            )
        ws.write_datetime(r, 12, dt.datetime(2015, 1 + i % 12, 1), date_fmt)
        ws.write_string(r, 13, "12/12")
        ws.write_string(r, 14, "Đại học")
        ws.write_string(r, 15, rng.choice(["Sơ cấp", "Trung cấp", "Cao cấp"]))
        ws.write_string(r, 16, f"09{rng.randint(10000000, 99999999)}")
        ws.write_string(r, 17, "")
        ws.write_string(r, 18, "")
    wb.close()


NARROW_HEADER = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Chức vụ",
    "Huyện/Thành phố",
    "Đơn vị",
    "Số CCCD",
    "Điện thoại",
    "Trình độ học vấn",
]


def write_narrow(path: str, rows: int, seed: int = 11) -> None:
    """The usual commune-level TTV list: 11 columns, the role given by the title."""
    rng = random.Random(seed)
    wb, ws, date_fmt = _book(path, "DANH SÁCH TUYÊN TRUYỀN VIÊN TỈNH KON TUM", NARROW_HEADER)
    districts = list(DISTRICTS)
    for i in range(rows):
        r = i + 3
        district = districts[i % len(districts)]
        dob = _person(ws, r, rng, date_fmt)
        ws.write_string(r, 5, rng.choice(POSITIONS))
        ws.write_string(r, 6, district)
        ws.write_string(r, 7, rng.choice(DISTRICTS[district]))
        ws.write_string(r, 8, f"0{62 + i % 3:02d}{dob.year % 100:02d}{i:07d}"[:12].rjust(12, "0"))
        ws.write_string(r, 9, f"09{rng.randint(10000000, 99999999)}")
        ws.write_string(r, 10, rng.choice(["9/12", "12/12", "Đại học"]))
    wb.close()


if __name__ == "__main__":
    write(sys.argv[1], int(sys.argv[2]))
