"""Settings: admin only, validated with messages beside the fields, stored in the database (so
every worker sees them), audited, and used by the rules at once."""
import datetime as dt

import pytest
import sqlalchemy as sa

from models import AuditLog, Level, Role, Setting, UserRole, db
from registry.eligibility.rules import evaluate
from registry.settings import service as settings
from tests.factories import settings_form


def test_only_admins(make, login):
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    make.user("xem", UserRole.VIEWER, "Huyện Đắk Hà")
    for name in ("dakha", "xem"):
        client = login(name)
        assert client.get("/settings").status_code == 403
        assert client.post("/settings", data={"training_window_months": "3"}).status_code == 403
        assert "Thiết lập" not in client.get("/").get_data(as_text=True)
        client.post("/logout")
    assert db.session.execute(sa.select(Setting.id)).first() is None


def test_defaults_shown_and_round_trip_changes_nothing(admin):
    data = settings_form(admin)
    assert data["training_window_months"] == "12" and data["llct_BCV_tinh"] == "cao_cap"
    assert data["months_khien_trach"] == "12" and data["months_buoc_thoi_viec"] == ""
    assert "months_khai_tru" not in data  # khai trừ is for life: no window to set
    assert data["prof_BCV_tinh"] == "" and data["prof_TTV_co_so"] == ""  # no minimum by default
    assert data["discipline_threshold"] == "khien_trach" and data["party_TTV_co_so"] == "y"
    assert admin.post("/settings", data=data).status_code == 302
    assert db.session.execute(sa.select(Setting.id)).first() is None  # nothing differs


def test_change_is_stored_audited_and_applied(admin, make, ctx):
    person = make.person("Y Blô", "Xã Đắk La", political_theory="so_cap", party_member=True)
    make.attend(person, make.course("Huyện Đắk Hà", start=dt.date(2025, 1, 10)))
    on = dt.date(2025, 6, 1)
    assert evaluate(person, Role.TTV, Level.CO_SO, on).ok
    data = settings_form(admin) | {"training_window_months": "3", "llct_TTV_co_so": "trung_cap"}
    assert admin.post("/settings", data=data).status_code == 302
    stored = dict(db.session.execute(sa.select(Setting.key, Setting.value)).all())
    assert stored["training_window_months"] == 3
    assert stored["min_llct"]["TTV:co_so"] == "trung_cap"
    assert db.session.execute(sa.select(sa.func.count(AuditLog.id)).where(
        AuditLog.entity == "settings", AuditLog.actor == "admin")).scalar() == 2
    reasons = evaluate(person, Role.TTV, Level.CO_SO, on).reasons
    assert len(reasons) == 2 and "trong 3 tháng" in reasons[1]
    assert settings_form(admin)["training_window_months"] == "3"


def test_a_second_app_sees_the_change(admin, app):
    """Nothing lives in process memory: another app (another worker) reads the same rows."""
    from app import create_app
    admin.post("/settings", data=settings_form(admin) | {"training_window_months": "7"})
    other = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "TESTING": True, "SECRET_KEY": "x"})
    with other.app_context():
        try:
            assert settings.get("training_window_months") == 7
        finally:
            db.session.remove()
            db.engine.dispose()


@pytest.mark.parametrize("field,value,message", [
    ("training_window_months", "0", "Phải là số nguyên từ 1 đến 120."),
    ("training_window_months", "121", "Phải là số nguyên từ 1 đến 120."),
    ("training_window_months", "mười", "Phải là số nguyên từ 1 đến 120."),
    ("training_window_months", "", "Vui lòng nhập số tháng (1 đến 120)."),
    ("months_khien_trach", "0", "Phải là số nguyên từ 1 đến 240."),
    ("months_canh_cao", "999", "Phải là số nguyên từ 1 đến 240."),
    ("llct_BCV_tinh", "tien_si", "Giá trị được chọn không hợp lệ."),
    ("discipline_threshold", "", "Vui lòng chọn mức kỷ luật."),
])
def test_validation_nothing_saved(admin, field, value, message):
    data = settings_form(admin) | {field: value, "months_nhac_nho": "3"}
    resp = admin.post("/settings", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and message in html
    assert html.count(message) == 1
    assert db.session.execute(sa.select(Setting.id)).first() is None


def test_service_refuses_non_admin_scope(ctx, make):
    from registry.core import access
    with access.scoped(access.scope_for_unit(make.unit("Huyện Đắk Hà"))):
        with pytest.raises(access.AccessDenied):
            settings.save({"training_window_months": 6})
