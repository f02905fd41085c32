"""The yearly rating in the eligibility rules (the removal proposal, a setting), in the settings
form, and in the qualification lists (the last rating as a column, the ready-made list)."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import event

from models import EvaluationRating, Level, Role, db
from registry.eligibility import rules
from registry.settings import service as settings
from tests.factories import settings_form

TOT, KHT = EvaluationRating.TOT, EvaluationRating.KHONG_HOAN_THANH
REASON = "Không hoàn thành nhiệm vụ 2 năm liền (2024, 2025): đề nghị đưa ra khỏi danh sách."


@pytest.fixture
def person(make):
    """A TTV cơ sở meeting every other standard through 2026 (trained in 2025 and 2026)."""
    p = make.person("Y Blô", "Xã Đắk La", political_theory="so_cap", party_member=True)
    make.attend(p, make.course("Huyện Đắk Hà", start=dt.date(2025, 12, 1)))
    make.attend(p, make.course("Huyện Đắk Hà", name="Tập huấn 2026", start=dt.date(2026, 11, 1)))
    return p


def _reasons(p, on: dt.date) -> list[str]:
    return rules.evaluate(db.session.merge(p), Role.TTV, Level.CO_SO, on).reasons


def test_removal_rule_consecutive_years_and_setting(make, person, ctx):
    spring = dt.date(2026, 3, 1)
    assert _reasons(person, spring) == []
    make.evaluation(person, 2024, KHT)
    make.evaluation(person, 2025, KHT)
    assert _reasons(person, spring) == [REASON]  # 2026 not rated yet: 2024 and 2025 count
    assert _reasons(person, dt.date(2025, 12, 20)) == [REASON]  # 2025 rated: it ends the run
    this_year = make.evaluation(person, 2026, TOT)
    assert _reasons(person, dt.date(2026, 12, 31)) == []  # 2026 rated well: the run is over
    db.session.delete(this_year)
    db.session.commit()
    settings.save({"evaluation_fail_years": 3})
    assert _reasons(person, spring) == []  # only two years running
    settings.save({"evaluation_fail_years": 1})
    assert _reasons(person, spring) == [REASON.replace("2 năm liền (2024, 2025)",
                                                       "1 năm liền (2025)")]
    settings.save({"evaluation_fail_years": 0})
    assert _reasons(person, spring) == []  # not checked


def test_removal_rule_needs_unbroken_run_and_loads_in_bulk(make, person, ctx):
    other = make.person("A Thút", "Xã Đắk La", political_theory="so_cap", party_member=True)
    make.evaluation(person, 2023, KHT)
    make.evaluation(person, 2024, TOT)
    make.evaluation(person, 2025, KHT)
    make.evaluation(other, 2023, KHT)
    make.evaluation(other, 2025, KHT)  # 2024 without a rating breaks the run
    spring = dt.date(2026, 3, 1)
    assert not any("đưa ra khỏi" in r for r in _reasons(person, spring))
    assert not any("đưa ra khỏi" in r for r in _reasons(other, spring))
    people = [db.session.merge(person), db.session.merge(other)]
    seen = []

    def _note(*args):
        seen.append(args[2])
    event.listen(db.engine, "before_cursor_execute", _note)
    facts = rules.gather(people, spring, rules.Rules.load())
    event.remove(db.engine, "before_cursor_execute", _note)
    assert sum("FROM evaluations" in s for s in seen) == 1  # one query for everyone
    assert facts[other.id].ratings == {2025: KHT}  # only the years the rule can look at
    assert rules.failed_run({2024: KHT, 2025: KHT}, spring, 2) == [2024, 2025]
    assert rules.failed_run({2024: KHT, 2025: KHT}, spring, 0) == []


def test_settings_field(admin, ctx):
    page = admin.get("/settings").get_data(as_text=True)
    assert "Số năm liền không hoàn thành nhiệm vụ thì đề nghị đưa ra khỏi danh sách" in page
    data = settings_form(admin)
    assert data["evaluation_fail_years"] == "2"
    resp = admin.post("/settings", data=data | {"evaluation_fail_years": "9"})
    assert "Giá trị được chọn không hợp lệ" in resp.get_data(as_text=True)
    assert settings.current()["evaluation_fail_years"] == 2
    assert admin.post("/settings", data=data | {"evaluation_fail_years": "0"}).status_code == 302
    assert settings.current()["evaluation_fail_years"] == 0


def test_lists_show_last_rating_and_removal_list(make, person, admin, ctx):
    make.evaluation(person, 2024, KHT)
    make.evaluation(person, 2025, KHT, note="Không báo cáo buổi nào")
    kept = make.person("Rơ Châm Hiền", "Xã Đắk La", political_theory="so_cap",
                       party_member=True)
    make.evaluation(kept, 2025, TOT)
    url = "/lists/ready/de-nghi-dua-ra-khoi-danh-sach?on=01/03/2026"
    html = admin.get(url).get_data(as_text=True)
    assert "không hoàn thành nhiệm vụ 2 năm liền" in html
    assert "Đề nghị đưa ra khỏi danh sách: 1 người" in html
    assert "2025: Không hoàn thành nhiệm vụ" in html
    html = admin.get("/lists/ready/ttv-chua-boi-duong?on=01/03/2026").get_data(as_text=True)
    assert "Đánh giá gần nhất" in html and "2025: Hoàn thành tốt nhiệm vụ" in html
    resp = admin.get("/lists/ready/de-nghi-dua-ra-khoi-danh-sach/export.xlsx?on=01/03/2026")
    ws = openpyxl.load_workbook(io.BytesIO(resp.data))["TTV"]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    header = next(r for r in rows if "Đánh giá gần nhất" in r)
    col = header.index("Đánh giá gần nhất")
    assert header[col + 1] == "Ghi chú"
    blo = next(r for r in rows if "Y Blô" in r)
    assert blo[col] == "2025: Không hoàn thành nhiệm vụ"
    assert "Không hoàn thành nhiệm vụ 2 năm liền (2024, 2025)." in blo[col + 1]
    assert not any("Rơ Châm Hiền" in r for r in rows)
