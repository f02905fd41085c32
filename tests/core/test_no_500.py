"""The URLs that once answered 500 (issue 13): a page number no offset can hold, a date whose
age arithmetic leaves the calendar, months at the ends of the calendar. Each now answers 400
with a Vietnamese message, or (the roster, whose filters never refuse) the list with a notice."""
from __future__ import annotations

import datetime as dt

import pytest

from models import UserRole
from registry.core.dates import add_months, parse_day, parse_month, parse_partial_date

HUGE = "99999999999999999999"


@pytest.fixture
def ids(make):
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    person = make.person("Nguyễn Văn Thử", "Huyện Đắk Hà")
    return make.route_ids(person)


@pytest.mark.parametrize("url, message", [
    ("/imports/{batch_id}?page=" + HUGE, "Số trang"),
    ("/imports/{batch_id}?page=-" + HUGE, "Số trang"),
    ("/imports/{batch_id}?page=0", "Số trang"),
    ("/units/{unit_id}/payments?month=9999-12", "Tháng «9999-12» không hợp lệ"),
    ("/units/{unit_id}/payments?month=0001-01", "Tháng «0001-01» không hợp lệ"),
    ("/units/{unit_id}/payments?month=12/9999", "không hợp lệ"),
    ("/units/{unit_id}/payments?month=00/2025", "không hợp lệ"),
    ("/units/{unit_id}/payments/generate?month=9999-12", "không hợp lệ"),
    ("/units/{unit_id}/payments/generate?month=0001-01", "không hợp lệ"),
    ("/units/{unit_id}/payments/sheet.xlsx?month=9999-12", "không hợp lệ"),
])
def test_out_of_range_values_are_a_400_in_vietnamese(client, login, ids, url, message):
    login("admin")
    resp = client.get(url.format(**ids))
    assert resp.status_code == 400
    assert message in resp.get_data(as_text=True)


@pytest.mark.parametrize("on", ["01/01/0002", "01/01/0001", "31/12/9999", "0001-01-01"])
def test_roster_age_band_on_a_date_at_the_calendar_ends(client, login, ids, on):
    """A 400 that still shows today's list, saying which date was not understood."""
    login("admin")
    resp = client.get("/roster", query_string={"age": "duoi30", "on": on})
    assert resp.status_code == 400
    assert f"Ngày «{on}» không hợp lệ" in resp.get_data(as_text=True)


def test_good_values_still_work(client, login, ids):
    login("admin")
    assert client.get(f"/imports/{ids['batch_id']}?page=2").status_code == 200
    resp = client.get(f"/units/{ids['unit_id']}/payments?month=2999-12")
    assert resp.status_code == 200 and "12/2999" in resp.get_data(as_text=True)
    resp = client.get("/roster?age=duoi30&on=01/01/1900")
    assert resp.status_code == 200 and "không hợp lệ" not in resp.get_data(as_text=True)


def test_typed_dates_stay_within_arithmetic_reach():
    for text in ("01/01/0001", "31/12/9999", "0999-12-31", "3000-01-01"):
        assert parse_day(text) is None, text
    for text in ("0001-01", "12/9999", "13/2025"):
        assert parse_month(text) is None, text
    with pytest.raises(ValueError):
        parse_partial_date("0002")
    earliest, latest = parse_day("01/01/1000"), parse_month("12/2999")
    assert add_months(earliest, -12 * 200) < earliest < add_months(latest, 12 * 200)
    assert latest == dt.date(2999, 12, 1)


def test_nul_characters_are_refused_before_any_view(client, login, ids):
    """PostgreSQL text cannot hold NUL: in a query string or a form it is a 400, not a 500."""
    login("admin")
    for url in ("/roster?q=a%00b", "/persons/suggest?q=%00%00", "/audit?q%00=1",
                f"/units/{ids['unit_id']}/payments?month=01%00/2025"):
        resp = client.get(url)
        assert resp.status_code == 400 and "ký tự NUL" in resp.get_data(as_text=True), url
    anonymous = client.application.test_client()  # the login and its throttle never see it
    resp = anonymous.post("/login", data={"username": "ad\x00min", "password": "x\x00"})
    assert resp.status_code == 400
    resp = client.post(f"/persons/{ids['person_id']}/edit", data={"full_name": "Tên\x00mới"})
    assert resp.status_code == 400
    page = client.get(f"/persons/{ids['person_id']}").get_data(as_text=True)
    assert ids["name"] in page and "Tênmới" not in page and "Tên\x00mới" not in page
