"""The dashboard's "Việc cần làm": every count equals the rows of the list it links to, in the
user's scope, and a change shows at once (the figure cache is keyed by the data version)."""
from __future__ import annotations

import datetime as dt
import html as htmllib
import re

import pytest
import sqlalchemy as sa

from models import FigureCache, ImportStatus, Level, Role, TransferStatus, UserRole, db
from models.base import utcnow
from registry.core.dates import add_months
from registry.dashboard import todo
from registry.lists.ready import PRESETS

CARD = re.compile(r'<a class="card( zero)?" id="todo-(\w+)" href="([^"]+)">'
                  r'<span class="num[^"]*">([\d.]+)</span><span>([^<]+)</span></a>')
TBODY = re.compile(r"<tbody>(.*?)</tbody>", re.S)


@pytest.fixture
def work(make):
    """Pending work in Xã Đắk La (commune), Huyện Đắk Hà (its district) and Huyện Sa Thầy."""
    today = dt.date.today()
    course = make.course("Huyện Đắk Hà", start=add_months(today, -2))
    untrained = make.person("Y Chưa Học", "Xã Đắk La")
    trained = make.person("A Đã Học", "Xã Đắk La")
    make.attend(trained, course)
    old_term = make.person("Lê Hết Kỳ", "Xã Đắk La")
    old_term.appointments[0].term, old_term.appointments[0].term_start = "2020-2025", 2020
    old_term.appointments[0].term_end = 2025
    make.person("Trần Huyện", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)
    make.person("Đinh Huyện Ở Xã", "Xã Đắk La", role=Role.BCV, level=Level.HUYEN)
    far = make.person("Người Sa Thầy", "Huyện Sa Thầy")
    make.discipline(untrained, until=today + dt.timedelta(days=10))
    make.discipline(trained, until=today + dt.timedelta(days=60))  # not within 30 days
    make.discipline(old_term, until=today - dt.timedelta(days=1))  # no longer in force
    make.discipline(far, until=today + dt.timedelta(days=3))
    make.transfer(untrained)
    make.transfer(trained, status=TransferStatus.APPROVED)
    make.transfer(far)
    make.batch("Xã Đắk La")
    make.batch("Xã Đắk La", status=ImportStatus.COMMITTED)
    make.batch("Xã Đắk La", created_at=utcnow() - dt.timedelta(days=400))  # expired preview
    make.batch("Huyện Sa Thầy")
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    make.user("dakla", UserRole.OFFICER, "Xã Đắk La")
    make.user("xem", UserRole.VIEWER, "Huyện Đắk Hà")


def _cards(client) -> dict[str, tuple[int, str, bool]]:
    page = client.get("/")
    assert page.status_code == 200
    return {key: (int(n.replace(".", "")), htmllib.unescape(url), bool(zero))
            for zero, key, url, n, _label in CARD.findall(page.get_data(as_text=True))}


def _rows(client, url: str) -> int:
    """Rows of the first table of the page at `url` (its empty-row line not counted)."""
    page = client.get(url)
    assert page.status_code == 200, url
    body = TBODY.search(page.get_data(as_text=True)).group(1)
    return body.count("<tr") - body.count('class="empty"')


@pytest.mark.parametrize("user, expected", [
    ("admin", {"transfers": 2, "imports": 2, "rerecognise": 2, "terms": 1, "expiring": 2,
               "overdue": 5}),
    ("dakla", {"transfers": 1, "imports": 1, "rerecognise": 1, "terms": 1, "expiring": 1,
               "overdue": 3, "units": 0}),
    ("xem", {"transfers": 1, "imports": 1, "rerecognise": 2, "terms": 1, "expiring": 1,
             "overdue": 4}),
])
def test_each_count_equals_the_rows_of_its_list(client, login, work, user, expected):
    login(user)
    cards = _cards(client)
    assert list(cards) == ["transfers", "imports", "rerecognise", "terms", "expiring",
                           "overdue", "units"]  # most urgent first
    for key, (count, url, zero) in cards.items():
        assert count == _rows(client, url), (user, key, url)
        assert zero == (count == 0)
    assert {k: cards[k][0] for k in expected} == expected
    rerecognise = cards["rerecognise"][1]
    assert rerecognise == ("/reorganise/rerecognition" if user == "admin"
                           else "/roster?level=huyen")
    assert cards["expiring"][1] == "/disciplines?expiring_within=30"
    assert cards["imports"][1] == "/imports/?status=previewed"


def test_a_change_updates_the_counts_at_once(app, client, login, work, make):
    login("admin")
    before = _cards(client)
    with app.app_context():
        cached = db.session.execute(sa.select(sa.func.count()).select_from(FigureCache).where(
            FigureCache.key.startswith("todo:"))).scalar_one()
    assert cached == 1  # the counts come from the figure cache...
    assert _cards(client) == before
    lacking = make.unit("Xã Đắk Hring")
    make.person("Tuyên Truyền Mới", lacking)  # ...yet a write shows at once
    person = make.person("Sắp Hết Kỷ Luật", "Xã Đắk La")
    make.discipline(person, until=dt.date.today())
    make.batch("Xã Đắk La")
    after = _cards(client)
    assert after["units"][0] == before["units"][0] - 1
    assert after["expiring"][0] == before["expiring"][0] + 1
    assert after["overdue"][0] == before["overdue"][0] + 2
    assert after["imports"][0] == before["imports"][0] + 1


def test_rerecognition_only_where_it_applies_and_garbage_never_fails(client, login, make):
    make.person("Chỉ Xã", "Xã Đắk La")
    make.user("dakla", UserRole.OFFICER, "Xã Đắk La")
    login("dakla")
    cards = _cards(client)
    assert "rerecognise" not in cards and cards["transfers"] == (0, cards["transfers"][1], True)
    for url in ("/?on=99/99/9999&year=abc&unit=-1&page=0", "/?on=abc",
                "/imports/?status=xyz", "/imports/?status=previewed&page=0",
                "/disciplines?expiring_within=abc"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert 'id="todo' in resp.get_data(as_text=True) or not url.startswith("/?"), url


def test_units_without_ttv_is_the_ready_made_list(ctx):
    assert todo.UNITS_WITHOUT_TTV in PRESETS and PRESETS[todo.UNITS_WITHOUT_TTV].kind == "units"
    assert todo.rerecognition_people(dt.date(2025, 6, 30)) == 0  # before the two-level day
