"""Eligibility: one function, every reason, thresholds from the settings, dates decide."""
import datetime as dt

from models import CourseKind, DisciplineSystem, Level, Role, TrainingResult
from registry.eligibility import rules as eligibility
from registry.eligibility.rules import evaluate
from registry.settings import service as settings

D = dt.date


def test_qualified_person(ctx, qualified):
    verdict = evaluate(qualified, Role.TTV, Level.CO_SO, D(2025, 6, 1))
    assert verdict.ok and verdict.reasons == []


def test_every_reason_is_returned(ctx, make):
    person = make.person("A Jar", "Xã Đắk La", role=Role.BCV, level=Level.HUYEN,
                         political_theory="so_cap", party_member=False)
    make.discipline(person, "canh_cao", start=D(2025, 1, 1), until=D(2025, 12, 31),
                    decision_no="05-QĐ/UBKT")
    verdict = evaluate(person, Role.BCV, Level.TINH, D(2025, 6, 1))
    assert not verdict.ok
    assert verdict.reasons == [
        "Không có bổ nhiệm Báo cáo viên cấp tỉnh đang hoạt động vào ngày 01/06/2025.",
        "Trình độ lý luận chính trị Sơ cấp thấp hơn mức tối thiểu Cao cấp.",
        "Chưa là đảng viên (tiêu chuẩn của Báo cáo viên cấp tỉnh).",
        "Chưa hoàn thành khóa bồi dưỡng, tập huấn nào trong 12 tháng tính đến ngày 01/06/2025.",
        "Đang trong thời hạn kỷ luật Cảnh cáo (Đảng) từ ngày 01/01/2025 đến ngày 31/12/2025, "
        "quyết định số 05-QĐ/UBKT.",
    ]


def test_ended_or_future_appointment_is_not_active(ctx, make):
    person = make.person("A Ba", "Xã Đắk La", political_theory="so_cap", party_member=True,
                         start=D(2024, 1, 1), end=D(2024, 12, 31))
    make.attend(person, make.course("Huyện Đắk Hà", start=D(2024, 10, 1)))
    assert evaluate(person, Role.TTV, Level.CO_SO, D(2024, 12, 31)).ok
    assert "Không có bổ nhiệm" in evaluate(person, Role.TTV, Level.CO_SO, D(2025, 1, 1)).reasons[0]
    assert not evaluate(person, Role.TTV, Level.CO_SO, D(2023, 12, 31)).ok


def test_missing_llct_and_higher_llct(ctx, make, qualified):
    qualified.political_theory = None
    assert evaluate(qualified, Role.TTV, Level.CO_SO, D(2025, 6, 1)).reasons == [
        "Chưa có thông tin trình độ lý luận chính trị (tối thiểu: Sơ cấp)."]
    qualified.political_theory = "cu_nhan"  # above cao cấp: meets any minimum
    assert evaluate(qualified, Role.TTV, Level.CO_SO, D(2025, 6, 1)).ok


def test_party_membership_counts_from_join_date(ctx, qualified):
    qualified.party_join_date = D(2025, 7, 1)
    assert evaluate(qualified, Role.TTV, Level.CO_SO, D(2025, 6, 1)).reasons == [
        "Chưa là đảng viên (tiêu chuẩn của Tuyên truyền viên cấp xã)."]
    assert evaluate(qualified, Role.TTV, Level.CO_SO, D(2025, 7, 1)).ok


def test_training_window_and_counted_results(ctx, make, qualified):
    on = D(2026, 3, 12)  # the March 2025 course ended exactly 12 months before
    assert evaluate(qualified, Role.TTV, Level.CO_SO, on).ok
    reasons = evaluate(qualified, Role.TTV, Level.CO_SO, on + dt.timedelta(days=1)).reasons
    assert reasons == ["Chưa hoàn thành khóa bồi dưỡng, tập huấn nào trong 12 tháng tính đến "
                       "ngày 13/03/2026. Lần gần nhất kết thúc ngày 12/03/2025."]
    # Not completed, not finished yet, or a kind that is not training: none of them count.
    other = make.person("A Hai", "Xã Đắk La", political_theory="so_cap", party_member=True)
    make.attend(other, make.course("Huyện Đắk Hà", name="K1", start=D(2025, 4, 1)),
                TrainingResult.KHONG_HOAN_THANH)
    make.attend(other, make.course("Huyện Đắk Hà", name="K2", start=D(2025, 5, 1)), None)
    make.attend(other, make.course("Huyện Đắk Hà", name="K3", start=D(2025, 5, 2),
                                   kind=CourseKind.HOI_NGHI_BCV))
    make.attend(other, make.course("Huyện Đắk Hà", name="K4", start=D(2025, 5, 20),
                                   end=D(2025, 6, 20)))
    assert not evaluate(other, Role.TTV, Level.CO_SO, D(2025, 6, 1)).ok
    assert evaluate(other, Role.TTV, Level.CO_SO, D(2025, 6, 20)).ok


def test_discipline_changes_eligibility_when_in_force_and_after(ctx, make, qualified):
    make.discipline(qualified, "khien_trach", start=D(2025, 7, 1), until=D(2026, 2, 28))
    assert evaluate(qualified, Role.TTV, Level.CO_SO, D(2025, 6, 30)).ok
    during = evaluate(qualified, Role.TTV, Level.CO_SO, D(2025, 7, 1))
    assert not during.ok and "Khiển trách" in during.reasons[0]
    assert not evaluate(qualified, Role.TTV, Level.CO_SO, D(2026, 2, 28)).ok
    make.attend(qualified, make.course("Huyện Đắk Hà", name="K5", start=D(2026, 1, 5)))
    assert evaluate(qualified, Role.TTV, Level.CO_SO, D(2026, 3, 1)).ok


def test_lighter_discipline_does_not_disqualify(ctx, make, qualified):
    make.discipline(qualified, "phe_binh", system=DisciplineSystem.BCV_TTV, start=D(2025, 5, 1))
    assert evaluate(qualified, Role.TTV, Level.CO_SO, D(2025, 6, 1)).ok


def test_removal_and_expulsion_have_no_end(ctx, make, qualified):
    make.discipline(qualified, "khai_tru", start=D(2025, 5, 1), until=None)
    reasons = evaluate(qualified, Role.TTV, Level.CO_SO, D(2040, 1, 1)).reasons
    assert any("Khai trừ (Đảng) từ ngày 01/05/2025 không thời hạn" in r for r in reasons)


def test_thresholds_follow_the_settings(ctx, make, qualified):
    make.discipline(qualified, "phe_binh", system=DisciplineSystem.BCV_TTV, start=D(2025, 5, 1),
                    until=D(2025, 10, 31))
    settings.save({"min_llct": {"TTV:co_so": "trung_cap"}, "discipline_threshold": "phe_binh",
                   "party_required": {"TTV:co_so": False}, "training_window_months": 2})
    qualified.party_member = False
    reasons = evaluate(qualified, Role.TTV, Level.CO_SO, D(2025, 6, 1)).reasons
    assert reasons[0] == "Trình độ lý luận chính trị Sơ cấp thấp hơn mức tối thiểu Trung cấp."
    assert "trong 2 tháng" in reasons[1] and "Phê bình" in reasons[2] and len(reasons) == 3
    settings.save({"min_llct": {"TTV:co_so": None}, "training_window_months": 12,
                   "discipline_threshold": "khien_trach"})
    assert evaluate(qualified, Role.TTV, Level.CO_SO, D(2025, 6, 1)).ok


def test_bulk_helpers_use_the_same_judgement(ctx, make, qualified):
    other = make.person("A Hai", "Xã Đắk La", political_theory="so_cap", party_member=True)
    both = make.person("A Bốn", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN,
                       political_theory="trung_cap", party_member=True)
    make.attend(both, make.course("Huyện Đắk Hà", name="K9", start=D(2025, 2, 1)))
    on = D(2025, 6, 1)
    ids = [qualified.id, other.id, both.id]
    assert eligibility.filter_ids(ids, True, on) == [qualified.id, both.id]
    assert eligibility.filter_ids(ids, False, on) == [other.id]
    assert eligibility.filter_ids(ids, True, on, role=Role.BCV) == [both.id]
    assert [o.person.id for o in eligibility.training_overdue(ids, on)] == [other.id]
    found = eligibility.verdicts([qualified, other], on)
    assert found[qualified.id][0][2].ok and not found[other.id][0][2].ok


def test_officer_scope_does_not_change_the_verdict(ctx, make, qualified):
    """A course organised by the province still counts for a district officer's view."""
    from registry.core import access
    person = make.person("A Năm", "Xã Đắk La", political_theory="so_cap", party_member=True)
    make.attend(person, make.course("Tỉnh Kon Tum", name="Tỉnh", start=D(2025, 3, 1)))
    with access.scoped(access.scope_for_unit(make.unit("Huyện Đắk Hà"))):
        assert evaluate(person, Role.TTV, Level.CO_SO, D(2025, 6, 1)).ok


def test_roster_filters_on_the_verdict(make, login):
    from models import UserRole
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    today = dt.date.today()
    good = make.person("Đủ Chuẩn", "Xã Đắk La", political_theory="so_cap", party_member=True)
    make.attend(good, make.course("Huyện Đắk Hà", start=today - dt.timedelta(days=20)))
    make.person("Thiếu Chuẩn", "Xã Đắk La", political_theory="so_cap", party_member=False)
    make.person("Người Sa Thầy", "Huyện Sa Thầy")
    client = login("dakha")
    html = client.get("/roster", query_string={"elig": "1"}).get_data(as_text=True)
    assert "Đủ Chuẩn" in html and "Thiếu Chuẩn" not in html and "<strong>1</strong>" in html
    html = client.get("/roster", query_string={"elig": "0"}).get_data(as_text=True)
    assert "Thiếu Chuẩn" in html and "Đủ Chuẩn" not in html and "Người Sa Thầy" not in html
    assert "chưa đủ TC" in html and "Chưa là đảng viên" in html  # the tag says why
    html = client.get("/roster", query_string={"elig": "1", "role": "BCV"}).get_data(as_text=True)
    assert "<strong>0</strong>" in html
    assert client.get("/roster", query_string={"elig": "maybe"}).status_code == 200
