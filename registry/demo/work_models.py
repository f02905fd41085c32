"""Demo data: the team's work, exemplary models (issue 14): a few mô hình hay, điển hình tiên
tiến of the units of people serving today, each with one to three of their people."""
from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from models import ExemplaryModel, db

if TYPE_CHECKING:
    from models import Person
    from registry.demo.records import Places

MODELS = (
    ("Mô hình “Loa thôn bản” tuyên truyền bằng tiếng Xơ Đăng", "Tuyên truyền miệng ở cơ sở",
     "Mỗi tối thứ Bảy, tuyên truyền viên đọc tin thời sự và chính sách mới trên loa thôn "
     "bằng tiếng Việt và tiếng Xơ Đăng."),
    ("Tổ tuyên truyền “Già làng nói, dân làng nghe”", "Dân vận khéo",
     "Già làng, người có uy tín cùng tuyên truyền viên nói chuyện tại nhà rông về phòng, "
     "chống tin giả và giữ gìn an ninh thôn làng."),
    ("Nhóm Zalo “Chi bộ số” sinh hoạt chi bộ trực tuyến", "Tuyên truyền trực tuyến",
     "Chia sẻ Thông báo nội bộ, định hướng thông tin hằng tháng tới đảng viên ở xa."),
    ("Điển hình báo cáo viên giỏi cấp cơ sở", "Báo cáo viên giỏi",
     "Báo cáo viên đạt giải Nhất hội thi báo cáo viên giỏi, báo cáo trên 20 buổi mỗi năm."),
    ("Mô hình “Nhà rông văn hóa – điểm tuyên truyền pháp luật”", "Phổ biến pháp luật",
     "Nhà rông được dùng làm điểm sinh hoạt pháp luật định kỳ mỗi tháng."),
)
RECOGNISED_BY = ("Ban Tuyên giáo và Dân vận Tỉnh ủy", "Ban Thường vụ Đảng ủy xã",
                 "Ban Tuyên giáo Tỉnh ủy")


def seed(rng: random.Random, places: Places, people: list[Person], today: dt.date) -> None:
    serving = [p for p in people if p.active_appointments(today)]
    for (name, field, description), lead in zip(MODELS, rng.sample(serving, min(
            len(MODELS), len(serving))), strict=False):
        mates = [p for p in serving if p.unit_id == lead.unit_id and p.id != lead.id]
        persons = [lead, *rng.sample(mates, min(len(mates), rng.randint(0, 2)))]
        year = today.year - rng.randint(0, 2)
        decided = min(dt.date(year, rng.randint(1, 12), rng.randint(1, 28)), today)
        db.session.add(ExemplaryModel(
            unit=lead.unit, name=name, field=field, year=decided.year, description=description,
            decision_no=f"{rng.randint(10, 999)}-QĐ/BTGDV", decision_date=decided,
            recognised_by=rng.choice(RECOGNISED_BY), persons=persons))
    db.session.flush()
