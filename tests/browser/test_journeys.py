"""What officers do, in a real Chromium against gunicorn with two workers."""
from __future__ import annotations

import json
import os
import re
import signal
import time
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.paths import SAMPLES
from tools import live_server as live

NOT_FOUND = "Không tìm thấy"


def shot(page, screens: Path, name: str) -> None:
    page.screenshot(path=str(screens / f"{name}.png"), full_page=True)


def select_by_text(page, selector: str, text: str) -> None:
    # eval_on_selector does not wait: after a click that opens a form, the select may not be
    # there yet on a loaded machine.
    page.wait_for_selector(selector, state="attached")
    value = page.eval_on_selector(
        selector, "(el, t) => [...el.options].find(o => o.textContent.trim() === t).value", text)
    page.select_option(selector, value)


def url_rules() -> dict[str, str]:
    """endpoint -> rule of the app being served (same code, read in-process)."""
    with live.app_for("sqlite://", "rules") as app:
        return {r.endpoint: r.rule for r in app.url_map.iter_rules()}


def test_login_dashboard_and_logout(session, screens):
    s = session()
    page = s.page
    page.goto("/roster")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    expect(page.locator("h1")).to_have_text("Đăng nhập")
    shot(page, screens, "01-dang-nhap")
    page.fill("input[name=username]", "qt_admin")
    page.fill("input[name=password]", "sai-mat-khau")
    page.click("button[type=submit]")
    expect(page.locator(".field .error")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    s.login("qt_admin")
    expect(page.locator("h1")).to_have_text("Tổng quan")
    expect(page.locator(".cards .card").first).to_contain_text("người trong sổ")
    shot(page, screens, "02-tong-quan")
    page.click("text=Đăng xuất")
    expect(page.locator(".flash")).to_contain_text("Bạn đã đăng xuất.")
    page.goto("/roster")
    expect(page).to_have_url(re.compile(r"/login"))


def test_search_with_and_without_diacritics(session, screens, server):
    page = session("qt_admin").page
    page.goto("/roster")
    expect(page.locator("table.grid tbody tr")).to_have_count(50)  # a full first page
    shot(page, screens, "03-danh-sach")
    for query in ("Đặng Thị Ngọc Ánh", "dang thi ngoc anh", "DANG THI NGOC"):
        page.fill("#roster-q", query)
        page.press("#roster-q", "Enter")
        page.wait_for_load_state()
        expect(page.locator("table.grid")).to_contain_text("Đặng Thị Ngọc Ánh")
    page.fill("#roster-q", "dang thi ngoc anh")
    page.press("#roster-q", "Enter")
    page.wait_for_load_state()
    shot(page, screens, "03b-danh-sach-tim-khong-dau")
    page.click("text=Đặng Thị Ngọc Ánh")
    expect(page.locator("h1")).to_have_text("Đặng Thị Ngọc Ánh")


def test_add_a_person_and_an_appointment(session, screens):
    page = session("qt_dakha").page
    page.goto("/roster")
    page.click("text=+ Thêm người")
    page.fill("input[name=full_name]", "Nguyễn Thị Hồng Thắm")
    page.fill("input[name=dob]", "12/05/1990")
    page.select_option("select[name=gender]", "Nữ")
    select_by_text(page, "select[name=unit_id]", "Xã Đắk Mar")
    page.fill("input[name=cccd]", "062190000777")
    page.fill("input[name=position]", "Bí thư Chi đoàn thôn")
    page.select_option("select[name=first_role]", "TTV")
    page.select_option("select[name=first_level]", "co_so")
    page.fill("input[name=first_start]", "01/03/2025")
    page.click("button:has-text('Lưu')")
    expect(page.locator(".flash-success")).to_contain_text("Đã thêm Nguyễn Thị Hồng Thắm")
    expect(page.locator("h1")).to_have_text("Nguyễn Thị Hồng Thắm")
    page.click("text=+ Bổ nhiệm")
    page.select_option("select[name=role]", "BCV")
    page.select_option("select[name=level]", "huyen")
    select_by_text(page, "select[name=unit_id]", "Huyện Đắk Hà")
    page.fill("input[name=decision_no]", "123/QĐ-BTGHU")
    page.fill("input[name=start_date]", "15/06/2025")
    page.click("button:has-text('Lưu')")
    expect(page.locator("h1")).to_have_text("Nguyễn Thị Hồng Thắm")
    body = page.locator("main")
    expect(body).to_contain_text("123/QĐ-BTGHU")
    expect(body).to_contain_text("Xã Đắk Mar")
    shot(page, screens, "04-ho-so")


def test_import_preview_confirm_on_another_worker_and_error_workbook(session, screens, server,
                                                                    tmp_path):
    page = session("qt_dakha").page
    page.goto("/imports/upload")
    page.set_input_files("input[name=file]", str(SAMPLES / "S01_dakha_ttv_trichngang.xlsx"))
    page.click("button:has-text('Tải lên và xem trước')")
    page.wait_for_url(re.compile(r"/imports/\d+$"))
    batch_path = re.search(r"/imports/\d+$", page.url).group(0)
    cards = page.locator(".cards.counts")
    expect(cards).to_contain_text("13")
    expect(cards).to_contain_text("Mới")
    expect(page.locator(".confirmbar")).to_contain_text("Xác nhận sẽ thêm 13 người mới")
    shot(page, screens, "05-xem-truoc-nhap")

    with page.expect_download() as download:
        page.click("text=Tải các dòng lỗi (.xlsx)")
    saved = tmp_path / "loi.xlsx"
    download.value.save_as(saved)
    ws = openpyxl.load_workbook(saved).worksheets[0]
    # The file's title rows and two-row header (6-7, numbers in 8), then five failing rows and the
    # row one of them repeats.
    assert ws.max_row == 14 and ws.cell(6, ws.max_column).value == "Lỗi"
    assert all(str(ws.cell(r, ws.max_column).value).startswith("Dòng ") for r in range(9, 15))

    # The preview was served by one worker; stop that one so that the confirm must land on
    # the other (the preview lives in the database, not in a worker's memory).
    preview_pid = server.served_by("GET", re.escape(batch_path))[-1]
    os.kill(preview_pid, signal.SIGSTOP)
    try:
        page.click("button:has-text('Xác nhận nhập')")
        expect(page.locator(".flash-success")).to_contain_text("Đã nhập: 13 người mới")
    finally:
        os.kill(preview_pid, signal.SIGCONT)
    confirm_pids = server.served_by("POST", re.escape(batch_path) + "/confirm")
    assert confirm_pids and confirm_pids[-1] != preview_pid, (preview_pid, confirm_pids)
    expect(page.locator("main")).to_contain_text("Đã nhập")
    page.goto("/roster?q=062076120004&status=all")  # one of the imported CCCDs
    expect(page.locator("table.grid tbody tr")).to_have_count(1)


def wait_for_job(client, batch_path: str, seconds: float = 180) -> dict:
    """Poll a batch's progress until the job worker has read it."""
    deadline = time.monotonic() + seconds
    while True:
        job = json.loads(client.get(batch_path + "/progress")[2])
        if job["status"] != "queued" or time.monotonic() > deadline:
            return job
        time.sleep(0.5)


def test_a_big_file_is_read_by_the_job_worker_with_a_progress_bar(session, screens, tmp_path):
    from bench import make_roster

    big = tmp_path / "ds-lon.xlsx"
    make_roster.write(str(big), 20_000)  # 1.8 MB: over the 1.5 MB of IMPORT_BACKGROUND_MB
    page = session("qt_dakha").page
    page.goto("/imports/upload")
    page.set_input_files("input[name=file]", str(big))
    started = time.monotonic()
    page.click("button:has-text('Tải lên và xem trước')")
    page.wait_for_url(re.compile(r"/imports/\d+$"))
    assert time.monotonic() - started < 10  # the request only stored the file
    expect(page.locator(".job-progress")).to_contain_text("Đang đọc tệp")
    shot(page, screens, "05b-dang-doc-tep")
    # static/app.js polls the progress and reloads the page when the preview is ready.
    expect(page.locator(".cards.counts")).to_contain_text("Mới", timeout=180_000)
    expect(page.locator(".confirmbar")).to_contain_text("Xác nhận sẽ thêm")
    expect(page.locator(".job-progress")).to_have_count(0)


def test_a_file_that_is_not_a_spreadsheet_gets_a_vietnamese_message(session):
    page = session("qt_dakha").page
    page.goto("/imports/upload")
    page.set_input_files("input[name=file]", str(SAMPLES / "S08_khong_phai_excel.xlsx"))
    page.click("button:has-text('Tải lên và xem trước')")
    page.wait_for_url(re.compile(r"/imports/\d+$"))
    expect(page.locator(".flash-danger")).to_contain_text("không phải bảng tính")


def test_export_the_roster_and_open_it(session, tmp_path):
    rules = url_rules()
    if "exports.roster" not in rules:
        pytest.fail("the roster export route (endpoint 'exports.roster', issue 5) is missing "
                    "from the URL map: the export journey cannot run")
    page = session("qt_dakha").page
    page.goto("/roster?status=all")
    link = page.locator("a:has-text('Xuất Excel đầy đủ')")
    expect(link).to_have_count(1)
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / "danh-sach.xlsx"
    download.value.save_as(saved)
    wb = openpyxl.load_workbook(saved)
    text = "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None)
    assert "Đặng Thị Ngọc Ánh" in text  # an officer of Đắk Hà exports Đắk Hà's people
    assert "Rơ Châm H'Yen Thử" not in text  # and nobody of Sa Thầy
    assert "<script>alert(1)</script>" in text  # stored names come back as text


def test_reports_page(session, screens):
    page = session("qt_admin").page
    page.goto("/")
    page.click("nav.mainnav summary:has-text('Báo cáo')")  # the menu groups its pages
    link = page.locator("nav.mainnav a", has_text=re.compile(r"^\s*Báo cáo đội ngũ\s*$"))
    if link.count() == 0:
        pytest.fail("the main menu has no «Báo cáo đội ngũ» (reports, issue 5) link; endpoints: "
                    f"{sorted(url_rules())}")
    with page.expect_response(lambda r: r.request.is_navigation_request()) as response:
        link.first.click()
    assert response.value.status == 200, response.value.url
    expect(page.locator("h1").first).to_be_visible()
    expect(page.locator("table").first).to_contain_text("Tổng cộng")
    shot(page, screens, "06-bao-cao")


def test_officer_of_another_district_gets_the_vietnamese_404(session, server):
    page = session("qt_dakha").page
    other = server.people["sathay"]
    for path in (f"/persons/{other}", f"/persons/{other}/edit"):
        response = page.goto(path)
        assert response.status == 404, path
        expect(page.locator("h1")).to_contain_text(NOT_FOUND)
        expect(page.locator("main")).not_to_contain_text("Rơ Châm H'Yen Thử")
    page.goto("/roster?q=ro cham&status=all")
    expect(page.locator("main")).not_to_contain_text("Rơ Châm H'Yen Thử")


def test_markup_in_a_name_is_shown_as_text(session, server, screens):
    page = session("qt_admin").page
    page.goto(f"/persons/{server.people['xss']}")
    expect(page.locator("h1")).to_have_text("<script>alert(1)</script>")
    shot(page, screens, "07-ho-so-ten-la-ma")
    page.goto("/roster?q=script&status=all")
    expect(page.locator("table.grid")).to_contain_text("<script>alert(1)</script>")
    # no dialog opened: the session fixture fails the test on any dialog or CSP violation


def test_two_officers_saving_one_person_lose_no_update(session, server):
    """Two real sessions open the same form; the second save is refused, nothing overwritten."""
    person = server.people["locking"]
    first, second = session("qt_dakha").page, session("qt_dakha2").page
    for page in (first, second):
        page.goto(f"/persons/{person}/edit")
    first.fill("input[name=phone]", "0905 111 222")
    first.click("button:has-text('Lưu')")
    expect(first.locator(".flash-success")).to_contain_text("Đã lưu thay đổi.")
    second.fill("input[name=position]", "Trưởng thôn Kon Klốc")
    second.click("button:has-text('Lưu')")
    expect(second.locator(".flash-danger")).to_contain_text("vừa được người khác cập nhật")
    second.goto(f"/persons/{person}")
    main = second.locator("main")
    expect(main).to_contain_text("0905 111 222")
    expect(main).not_to_contain_text("Trưởng thôn Kon Klốc")
    second.goto(f"/persons/{person}/edit")  # reloaded, the second officer can now save
    second.fill("input[name=position]", "Trưởng thôn Kon Klốc")
    second.click("button:has-text('Lưu')")
    expect(second.locator(".flash-success")).to_contain_text("Đã lưu thay đổi.")
    expect(second.locator("main")).to_contain_text("0905 111 222")


def test_login_throttling_holds_across_workers(server):
    """Wrong passwords, alternately on each worker (the other one stopped), add up to one
    growing delay; then the right password is refused by either worker until it is over."""
    workers = server.worker_pids()
    mark = server.log_mark()

    def on_worker(i: int, password: str):
        stopped = workers[(i + 1) % 2]
        os.kill(stopped, signal.SIGSTOP)
        try:
            return live.Client(server).post(
                "/login", {"username": "qt_locked", "password": password})
        finally:
            os.kill(stopped, signal.SIGCONT)

    failures = 0
    for i in range(12):  # delays of 1, 2, 4 s… until one outlasts the checks below
        status, headers, body = on_worker(i, "sai-mat-khau")
        if status == 200:
            assert "không đúng" in body.decode()
            failures += 1
            continue
        assert status == 429 and "thử lại sau" in body.decode()
        if int(headers["retry-after"]) >= 4:
            break
        time.sleep(int(headers["retry-after"]))
    assert 3 <= failures <= 6
    for i in range(2):
        status, _, body = on_worker(i, server.passwords["qt_locked"])
        assert status == 429 and "Quá nhiều lần đăng nhập" in body.decode()
    assert set(server.served_by("POST", "/login", since=mark)) == set(workers)


def test_pages_send_security_headers(server):
    c = live.Client(server).login("qt_admin", server.passwords["qt_admin"])
    for path in (
        "/login",
        "/",
        "/roster",
        f"/persons/{server.people['xss']}",
        "/imports/upload",
        "/no-such-page",
    ):
        _status, headers, _ = c.get(path)
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp, path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "same-origin", path


def test_hostile_files_through_gunicorn(server):
    """A few hostile uploads through the real server: an answer in Vietnamese every time, no
    worker lost (a reader crash would end one), and the registry unchanged."""
    from hypothesis import HealthCheck, given, settings

    from tests.factories import IMPORT_TABLES, dump
    from tests.hostile import files
    from tests.hostile.test_upload_properties import VIETNAMESE

    client = live.Client(server).login("qt_dakha", server.passwords["qt_dakha"])
    workers = sorted(server.worker_pids())

    def state() -> bytes:
        with live.app_for(server.url, server.secret):
            return dump(exclude=IMPORT_TABLES | {"users"})  # users: last_login moves

    before = state()

    def upload(data: bytes, name: str) -> None:
        status, headers, body = client.post("/imports/upload", {}, files={"file": (name, data)})
        assert status in (200, 302), status
        if status == 302:
            status, _, body = client.get(headers["location"])
            assert status == 200
            if b"data-progress-url" in body:  # a big file: read by the job worker
                wait_for_job(client, headers["location"])
                status, _, body = client.get(headers["location"])
        text = body.decode()
        messages = re.findall(
            r'<div class="(?:flash flash-\w+|error)"[^>]*>(.*?)</div>', text, re.S
        )
        assert any(VIETNAMESE.search(m) for m in messages) or "Xác nhận sẽ thêm" in text

    for name, build in files.HUGE_CASES.items():
        upload(build(), "ds.xls" if "xls" in name else "ds.xlsx")

    @settings(
        max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(data=files.hostile_file, name=files.filenames)
    def one(data: bytes, name: str) -> None:
        upload(data, name)

    one()
    assert sorted(server.worker_pids()) == workers, "a worker died"
    assert state() == before
