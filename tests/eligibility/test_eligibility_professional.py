"""Minimum chuyên môn per role and level: a setting like the minimum LLCT (none by default), read
from the level the free-text chuyên môn starts with; saved lists may set their own minimum."""
import datetime as dt

import pytest
import sqlalchemy as sa

from models import Level, Role, SavedList, UserRole, db
from registry.eligibility import rules as eligibility
from registry.eligibility.rules import evaluate
from registry.lists import qualification
from registry.lists.qualification import Criteria
from registry.settings import service as settings
from tests.factories import settings_form

D = dt.date
ON = D(2025, 6, 1)
NEED_DAI_HOC = {"min_professional": {"TTV:co_so": "dai_hoc"}}


def _reasons(person, role=Role.TTV, level=Level.CO_SO) -> list[str]:
    return evaluate(person, role, level, ON).reasons


def test_no_minimum_by_default_so_results_are_unchanged(ctx, qualified):
    assert set(eligibility.Rules.load().min_professional.values()) == {None}
    for text in (None, "", "Kỹ thuật viên", "Trung cấp kế toán"):
        qualified.professional = text
        assert _reasons(qualified) == []


@pytest.mark.parametrize("text", [
    "Đại học Luật", "Cử nhân Luật", "Kỹ sư xây dựng", "ĐẠI HỌC", "dai hoc su pham", "dai_hoc",
    "Thạc sĩ Quản lý công", "Tiến sĩ",
])
def test_equal_or_above_the_minimum_qualifies(ctx, qualified, text):
    settings.save(NEED_DAI_HOC)
    qualified.professional = text
    assert _reasons(qualified) == []


@pytest.mark.parametrize("text,level", [
    ("Trung cấp kế toán", "Trung cấp"), ("Cao đẳng sư phạm", "Cao đẳng"), ("Sơ cấp", "Sơ cấp"),
    ("Chưa qua đào tạo", "Chưa qua đào tạo"),
])
def test_below_the_minimum_says_which_level(ctx, qualified, text, level):
    settings.save(NEED_DAI_HOC)
    qualified.professional = text
    assert _reasons(qualified) == [
        f"Trình độ chuyên môn {level} thấp hơn mức tối thiểu Đại học."]


def test_missing_or_unreadable_chuyen_mon_does_not_qualify(ctx, qualified):
    settings.save(NEED_DAI_HOC)
    for blank in (None, "  "):
        qualified.professional = blank
        assert _reasons(qualified) == [
            "Chưa có thông tin trình độ chuyên môn (tối thiểu: Đại học)."]
    for unknown in ("Kỹ thuật viên điện", "ĐH Luật", "Đại họcLuật"):
        qualified.professional = unknown
        assert _reasons(qualified) == [
            f"Không xác định được trình độ chuyên môn từ «{unknown}» (tối thiểu: Đại học); "
            "hãy ghi trình độ đào tạo ở đầu, ví dụ «Đại học Luật»."]


def test_minimum_is_per_role_and_level_and_reasons_keep_the_rule_order(ctx, make, qualified):
    settings.save({"min_professional": {"BCV:huyen": "thac_si"}})
    qualified.professional = "Trung cấp"
    assert _reasons(qualified) == []  # a TTV cơ sở: the BCV huyện minimum does not apply
    both = make.person("A Bốn", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN,
                       political_theory="so_cap", party_member=False, professional="Đại học")
    assert _reasons(both, Role.BCV, Level.HUYEN)[1:3] == [
        "Trình độ chuyên môn Đại học thấp hơn mức tối thiểu Thạc sĩ.",
        "Chưa là đảng viên (tiêu chuẩn của Báo cáo viên cấp huyện)."]
    assert _reasons(both, Role.BCV, Level.HUYEN)[0].startswith("Trình độ lý luận chính trị")


def test_roster_helpers_apply_the_minimum(ctx, make, qualified):
    other = make.person("A Hai", "Xã Đắk La", political_theory="so_cap", party_member=True,
                        professional="Cử nhân Kinh tế")
    make.attend(other, make.course("Huyện Đắk Hà", name="K2", start=D(2025, 4, 1)))
    qualified.professional = "Trung cấp"
    db.session.commit()
    ids = [qualified.id, other.id]
    assert eligibility.filter_ids(ids, True, ON) == ids
    settings.save(NEED_DAI_HOC)
    assert eligibility.filter_ids(ids, True, ON) == [other.id]
    assert eligibility.filter_ids(ids, False, ON) == [qualified.id]


def test_admin_sets_the_minimum_on_the_settings_page(admin, ctx, qualified):
    data = settings_form(admin)
    assert data["prof_TTV_co_so"] == ""
    resp = admin.post("/settings", data=data | {"prof_TTV_co_so": "cu_nhan"})  # an LLCT code
    assert resp.status_code == 200 and "Giá trị được chọn không hợp lệ." in resp.get_data(
        as_text=True)
    assert admin.post("/settings", data=data | {"prof_TTV_co_so": "dai_hoc"}).status_code == 302
    assert settings.get("min_professional")["TTV:co_so"] == "dai_hoc"
    assert settings_form(admin)["prof_TTV_co_so"] == "dai_hoc"
    assert _reasons(qualified) == ["Chưa có thông tin trình độ chuyên môn (tối thiểu: Đại học)."]


def test_saved_list_sets_its_own_minimum(ctx, make, qualified):
    qualified.professional = "Cao đẳng"
    db.session.commit()
    by_settings = qualification.evaluate(Criteria(role=Role.TTV, active_on=ON), "TTV")
    assert [e.person.full_name for e in by_settings.members] == ["Y Blô"]
    assert "Chuyên môn tối thiểu: không yêu cầu (theo thiết lập)" in by_settings.lines
    strict = qualification.evaluate(
        Criteria(role=Role.TTV, active_on=ON, min_professional="dai_hoc"), "TTV")
    assert strict.outsiders[0].reasons == [
        "Trình độ chuyên môn Cao đẳng thấp hơn mức tối thiểu Đại học."]
    assert "Chuyên môn tối thiểu: Đại học" in strict.lines
    settings.save({"min_professional": {"TTV:co_so": "dai_hoc"}})
    relaxed = qualification.evaluate(
        Criteria(role=Role.TTV, active_on=ON, min_professional="trung_cap"), "TTV")
    assert [e.person.full_name for e in relaxed.members] == ["Y Blô"]


def test_saved_list_form_stores_the_minimum(client, login, make, qualified):
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    login("dakha")
    assert "Chuyên môn tối thiểu" in client.get("/lists/new").get_data(as_text=True)
    resp = client.post("/lists/new", data={"name": "TTV có đại học", "role": "TTV",
                                           "min_professional": "dai_hoc", "training_months": "0",
                                           "no_discipline": "y"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    saved = db.session.execute(sa.select(SavedList)).scalar_one()
    assert saved.min_professional == "dai_hoc"
    html = client.get(f"/lists/{saved.id}").get_data(as_text=True)
    assert "Chưa có thông tin trình độ chuyên môn (tối thiểu: Đại học)." in html
    html = client.get(f"/lists/{saved.id}/edit").get_data(as_text=True)
    assert '<option value="dai_hoc" selected>' in html
