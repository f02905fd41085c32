"""Every page and workbook the app serves, read as a new officer would (issue 15 §6): one word
per concept, no jargon, named sheets, labelled filters; a viewer is offered no form they cannot
save."""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import openpyxl
import pytest

from models import Level, Role, UserRole
from tests.factories import fill_route

# Words that must not be on screen or in a workbook, each with what to say instead.
BANNED = {
    r"Cơ sở(?! dữ liệu)": "the level is «Xã» / «cấp xã»",
    r"(?:cấp|đơn vị|viên) cơ sở": "«cấp xã»",
    r"[Cc]ấp (?:Trung ương|Tỉnh|Huyện|Xã)": "lowercase «cấp huyện»",
    r"Mã GSO|\(GSO\)": "«Mã đơn vị hành chính»",
    r"\d\.0 MB": "«10 MB»",
}
# Forms a viewer may post: signing in and out, their own password.
VIEWER_POSTS = ("/login", "/logout", "/account/password", "/account/tokens")


class FilterControls(HTMLParser):
    """The controls of every filter form (class "filters") and whether each has a label."""

    def __init__(self):
        super().__init__()
        self.in_filters = self.in_label = 0
        self.labelled_ids: set[str] = set()
        self.controls: list[tuple[str, bool, str | None]] = []  # (name, wrapped, id)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "filters" in (a.get("class") or "").split():
            self.in_filters += 1
        elif tag == "label":
            self.in_label += 1
            if a.get("for"):
                self.labelled_ids.add(a["for"])
        elif self.in_filters and tag in ("select", "input") and a.get("type") not in (
                "hidden", "submit", "button"):
            self.controls.append((a.get("name") or "?", self.in_label > 0, a.get("id")))

    def handle_endtag(self, tag):
        if tag == "form" and self.in_filters:
            self.in_filters -= 1
        elif tag == "label" and self.in_label:
            self.in_label -= 1

    def unlabelled(self) -> list[str]:
        return [name for name, wrapped, ident in self.controls
                if not wrapped and ident not in self.labelled_ids]


def _crawl(app, client, ids):
    """(url, response) for every GET route filled with `ids` (deleting routes left out)."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "auth.logout") \
                or "delete" in rule.endpoint:
            continue
        url = fill_route(rule, ids)
        yield url, client.get(url)


def _workbook_text(data: bytes) -> tuple[list[str], str]:
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    text = "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None)
    names = wb.sheetnames
    wb.close()
    return names, text


@pytest.fixture
def ids(make):
    district = make.person("Người Thử Huyện", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)
    make.person("Người Thử Xã", "Xã Đắk Hring", role=Role.TTV, level=Level.CO_SO)
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    make.user("viewer", UserRole.VIEWER, "Huyện Đắk Hà")
    return make.route_ids(district)


def test_pages_and_workbooks_speak_one_language(app, client, login, ids):
    login("admin")
    problems, workbooks, filter_pages = [], 0, 0
    for url, resp in _crawl(app, client, ids):
        assert resp.status_code != 500, url
        if resp.mimetype.endswith("spreadsheetml.sheet"):
            workbooks += 1
            names, text = _workbook_text(resp.data)
            problems += [f"{url}: sheet «{n}»" for n in names if re.fullmatch(r"Sheet\d*", n)]
        elif resp.mimetype == "text/html":
            text = resp.get_data(as_text=True)
            parser = FilterControls()
            parser.feed(text)
            filter_pages += bool(parser.controls)
            problems += [f"{url}: filter «{n}» has no label" for n in parser.unlabelled()]
        else:
            continue
        for pattern, instead in BANNED.items():
            if m := re.search(pattern, text):
                problems.append(f"{url}: «{m.group(0)}», say {instead}")
    assert not problems, "\n".join(problems)
    assert workbooks >= 10 and filter_pages >= 10


def test_roles_are_vai_tro_in_the_workbooks(app, client, login, ids):
    login("admin")
    for url in ("/roster/export.xlsx", "/imports/template.xlsx"):
        wb = openpyxl.load_workbook(io.BytesIO(client.get(url).data), read_only=True)
        header = next(row for row in wb.worksheets[0].iter_rows(values_only=True)
                      if "Họ và tên" in row)
        assert "Vai trò" in header and "Loại" not in header, url
        wb.close()


def test_a_viewer_is_offered_no_form_they_cannot_save(app, client, login, ids):
    login("viewer")
    offered = []
    for url, resp in _crawl(app, client, ids):
        if resp.status_code != 200 or resp.mimetype != "text/html" or url in VIEWER_POSTS:
            continue
        for form in re.findall(r"<form\b[^>]*>", resp.get_data(as_text=True)):
            if re.search(r'method="post"', form, re.I) and "logout" not in form:
                offered.append(f"{url}: {form}")
    assert not offered, "\n".join(offered)
    assert client.get("/persons/new").status_code == 403
