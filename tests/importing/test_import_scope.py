"""What the import's province-wide lookups (the unscoped() reads in registry/importing/match.py
and apply.py) may reveal or change for an uploader who cannot see the person they find.

Today a CCCD in a district's file matches a person of another district, whose values the preview
shows and whose record the confirm overwrites: the hole issue 11 closes with transfer requests.
The strict xfails below state that hole as tests; they turn into failures (and must become plain
tests) the day the import stops leaking. The passing tests pin what already holds."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from models import Person, db
from tests.factories import latest_batch
from tests.hostile import files

SECRET_NAME, SECRET_PHONE = "Y Bí Mật", "0912345678"
ISSUE_11 = "issue 11: a CCCD of another district is matched across the province"


@pytest.fixture
def elsewhere(make):
    """A person of Huyện Kon Plông, which the Đắk Hà officer cannot see."""
    return make.person(SECRET_NAME, "Huyện Kon Plông", cccd=make.cccd(), phone=SECRET_PHONE)


def _upload_cccd(client, cccd: str):
    row = ["A Giả Danh", "01/01/1990", "Nam", "Kinh", "Xã Đắk La", "Trưởng thôn", cccd]
    data = files.package(files.sheet_xml(files.roster_rows([row])))
    resp = client.post("/imports/upload", data={"file": (io.BytesIO(data), "ds.xlsx")},
                       content_type="multipart/form-data")
    assert resp.status_code == 302
    return latest_batch()


def test_the_other_district_is_invisible_to_the_officer(officer, elsewhere):
    assert officer.get(f"/persons/{elsewhere.id}").status_code == 404
    roster = officer.get("/roster", query_string={"q": SECRET_NAME}).get_data(as_text=True)
    assert f"/persons/{elsewhere.id}" not in roster and SECRET_PHONE not in roster


@pytest.mark.xfail(strict=True, reason=ISSUE_11)
def test_the_preview_shows_nothing_of_a_person_outside_scope(officer, elsewhere):
    batch = _upload_cccd(officer, elsewhere.cccd)
    html = officer.get(f"/imports/{batch.id}").get_data(as_text=True)
    assert SECRET_NAME not in html and SECRET_PHONE not in html


@pytest.mark.xfail(strict=True, reason=ISSUE_11)
def test_confirming_writes_nothing_to_a_person_outside_scope(officer, elsewhere):
    unit_id = elsewhere.unit_id
    batch = _upload_cccd(officer, elsewhere.cccd)
    officer.post(f"/imports/{batch.id}/confirm")
    db.session.expire_all()
    person = db.session.execute(sa.select(Person).where(Person.id == elsewhere.id)).scalar_one()
    assert (person.full_name, person.unit_id) == (SECRET_NAME, unit_id)
