"""Every page of the records: answers, keeps to the CSP (no inline script or style), and the
demo shows each kind of record."""
import datetime as dt
import re

import sqlalchemy as sa

from models import (
    Activity,
    Attendance,
    Commendation,
    Course,
    Discipline,
    Payment,
    Rate,
    UserRole,
    db,
)
from tests.factories import count


def test_pages_render_without_inline_script_or_style(app, make, login):
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    person = make.person("A Một", "Xã Đắk La")
    ids = make.records(person)
    client = login("admin")
    urls = [r.rule for r in app.url_map.iter_rules()  # the API answers JSON (tests/api)
            if "GET" in r.methods and r.endpoint != "static" and not r.rule.startswith("/api/")]
    checked = 0
    for rule in urls:
        url = rule
        for name, value in ids.items() | {"person_id": person.id, "unit_id": person.unit_id,
                                           "appointment_id": person.appointments[0].id}.items():
            url = url.replace(f"<int:{name}>", str(value))
        if "<" in url:
            continue
        resp = client.get(url)
        assert resp.status_code in (200, 302), url
        if resp.mimetype != "text/html":  # downloads (xlsx) are not pages
            continue
        html = resp.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert " style=" not in html, url
        checked += 1
    assert checked >= 35


def test_seed_demo_shows_every_record(app, ctx):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--people", "120"])
    assert result.exit_code == 0, result.output
    assert count(Course) >= 5 and count(Attendance) >= 30 and count(Rate) >= 3
    assert count(Activity) >= 50 and count(Commendation) >= 10
    payments = ctx.execute(sa.select(Payment)).scalars().all()
    assert payments and all(p.generated and p.paid_date for p in payments)
    today = dt.date.today()
    disciplines = ctx.execute(sa.select(Discipline)).scalars().all()
    assert any(d.in_force_on(today) and d.form == "khien_trach" for d in disciplines)
    assert any(not d.in_force_on(today) and d.effective_until < today for d in disciplines)
    db.session.remove()


def test_malformed_ids_and_filters_never_fail(make, login):
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    course = make.course("Huyện Đắk Hà")
    client = login("admin")
    huge = "9" * 23
    for url in (f"/persons/{huge}", f"/courses/{huge}", f"/units/{huge}/payments",
                "/courses?year=99999", f"/commendations?year={huge}&unit={huge}",
                f"/activities?person={huge}&unit={huge}&from=32/13/2025", f"/roster?unit={huge}",
                f"/payments?unit={huge}", "/payments?unit=1&month=13/2025",
                "/disciplines?system=zzz&status=x", "/training/overdue?unit=abc&role=zz"):
        assert client.get(url).status_code in (200, 302, 404), url
    resp = client.post(f"/courses/{course.id}/attendees", data={"person_ids": [huge, "-1", "x"]})
    assert resp.status_code == 200 and "Chưa chọn người nào" in resp.get_data(as_text=True)
