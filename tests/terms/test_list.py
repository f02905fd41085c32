"""The "hết nhiệm kỳ" list and flag: in the actor's scope only, filtered by role and unit; the
badge on the person page and in the roster."""
from __future__ import annotations

from models import Level, Role, UserRole
from registry.core import access
from registry.terms import service
from tests.terms.helpers import TODAY, with_term


def _people(make):
    return {
        "ttv": with_term(make, "Y Ttv Đắk La", "Xã Đắk La"),
        "bcv": with_term(make, "A Bcv Đắk Hà", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN),
        "new": with_term(make, "Y Nhiệm Kỳ Mới", "Xã Đắk La", "2025-2030"),
        "other": with_term(make, "A Sa Thầy", "Huyện Sa Thầy"),
    }


def test_an_officer_lists_only_their_units_ended_terms(make, officer):
    people = _people(make)
    html = officer.get("/terms/ended").get_data(as_text=True)
    assert "Y Ttv Đắk La" in html and "A Bcv Đắk Hà" in html
    assert "Y Nhiệm Kỳ Mới" not in html
    assert "A Sa Thầy" not in html and f"/persons/{people['other'].id}" not in html
    assert "2 bổ nhiệm hết nhiệm kỳ" in html.replace("<strong>", "").replace("</strong>", "")


def test_the_admin_lists_the_whole_province(make, admin):
    _people(make)
    html = admin.get("/terms/ended").get_data(as_text=True)
    assert "A Sa Thầy" in html and "Y Ttv Đắk La" in html


def test_filters_by_role_and_unit(make, officer):
    _people(make)
    html = officer.get("/terms/ended?role=BCV").get_data(as_text=True)
    assert "A Bcv Đắk Hà" in html and "Y Ttv Đắk La" not in html
    la = make.unit("Xã Đắk La")
    html = officer.get(f"/terms/ended?unit={la.id}").get_data(as_text=True)
    assert "Y Ttv Đắk La" in html and "A Bcv Đắk Hà" not in html


def test_a_unit_outside_the_scope_shows_nothing_of_it(make, officer):
    _people(make)
    html = officer.get(f"/terms/ended?unit={make.unit('Huyện Sa Thầy').id}") \
        .get_data(as_text=True)
    assert "A Sa Thầy" not in html and "Y Ttv Đắk La" in html   # ignored, as the roster does


def test_all_in_the_filter_stays_in_scope(make):
    people = _people(make)
    with access.scoped(access.scope_for_unit(make.unit("Huyện Đắk Hà"))):
        ids = service.ended_term_ids(service.TermFilter(), TODAY)
        page = service.page_of(service.TermFilter(), TODAY, 1, 50)
    mine = {people[k].appointments[0].id for k in ("ttv", "bcv")}
    assert set(ids) == mine and page.total == 2
    assert {a.id for a in page.items} == mine


def test_the_person_page_and_the_roster_show_the_flag(make, officer):
    people = _people(make)
    page = officer.get(f"/persons/{people['ttv'].id}").get_data(as_text=True)
    assert "Hết nhiệm kỳ</span>" in page
    fresh = officer.get(f"/persons/{people['new'].id}").get_data(as_text=True)
    assert "Hết nhiệm kỳ</span>" not in fresh
    roster = officer.get("/roster").get_data(as_text=True)
    row = roster[roster.index("Y Ttv Đắk La"):]
    assert "Hết nhiệm kỳ" in row[:row.index("</tr>")]
    row = roster[roster.index("Y Nhiệm Kỳ Mới"):]
    assert "Hết nhiệm kỳ" not in row[:row.index("</tr>")]


def test_a_past_date_roster_does_not_flag_a_term_still_running_then(make, officer):
    _people(make)
    roster = officer.get("/roster?on=01/06/2025").get_data(as_text=True)
    row = roster[roster.index("Y Ttv Đắk La"):]
    assert "Hết nhiệm kỳ" not in row[:row.index("</tr>")]


def test_a_viewer_sees_the_list_without_the_decision_form(make, login, client):
    _people(make)
    make.user("xem", UserRole.VIEWER, "Huyện Đắk Hà")
    login("xem")
    html = client.get("/terms/ended").get_data(as_text=True)
    assert "Y Ttv Đắk La" in html and "Bổ nhiệm lại những người đã chọn" not in html
    assert 'name="appointment_ids"' not in html


def test_bad_filter_values_are_ignored(make, officer):
    _people(make)
    for query in ("role=XYZ", "unit=abc", "unit=99999999999999999999", "page=abc", "page=-3"):
        resp = officer.get(f"/terms/ended?{query}")
        assert resp.status_code == 200, query
        assert "Y Ttv Đắk La" in resp.get_data(as_text=True), query
