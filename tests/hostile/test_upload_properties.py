"""Property: whatever bytes an officer uploads, the server answers in Vietnamese, never with a
server error, and the registry stays byte-for-byte what it was.

Each case goes through the real web flow (upload form → preview page → error workbook) with
the Flask test client against the suite's database. A preview may store its batch (that is what a
preview is); every other table must dump to the same bytes before and after, no batch may be
committed, and the batches that were already there must not change.

`HYPOTHESIS_PROFILE=ci` runs at least 1,000 cases (`.ci/run`); the default run a few dozen.
"""
from __future__ import annotations

import io
import os
import re
from collections import Counter

import openpyxl
import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from models import AuditLog, ImportBatch, ImportStatus, db
from tests.factories import IMPORT_TABLES, dump
from tests.hostile import files
from tests.paths import SAMPLES

# A preview writes only its batch; downloading the error workbook is a download of personal data
# and is recorded (a security event): every other audit entry must stay as it was.
UNTOUCHED_EXCEPT = IMPORT_TABLES | {"audit_log"}


def changes_audited() -> list[tuple]:
    return db.session.execute(sa.select(AuditLog.id, AuditLog.entity, AuditLog.action).where(
        AuditLog.entity != "security").order_by(AuditLog.id)).all()


# A message in Vietnamese has letters only Vietnamese uses.
VIETNAMESE = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)
MESSAGE = re.compile(r'<div class="flash flash-(?:danger|warning)"[^>]*>(.*?)</div>'
                     r'|<div class="error">(.*?)</div>|(Xác nhận sẽ thêm)', re.S)
def batches_dump() -> dict[int, bytes]:
    with db.engine.connect() as conn:
        t = ImportBatch.__table__
        return {r.id: repr(tuple(r)).encode() for r in conn.execute(sa.select(t).order_by(t.c.id))}


@pytest.fixture
def uploader(app, make, officer):
    """The officer of Huyện Đắk Hà (logged in) and their unit's id, in a registry with people
    (one with a hostile name) and one committed import, so that damaged copies of the samples
    also plan updates."""
    make.person("<script>alert(1)</script>", "Xã Đắk La", cccd="062099000001")
    make.person("Y Blô", "Xã Đắk Hring", cccd="062099000002")
    runner = app.test_cli_runner()
    sample = SAMPLES / "S01_dakha_ttv_trichngang.xlsx"
    assert (
        runner.invoke(args=["import-roster", str(sample), "--unit", "Huyện Đắk Hà"]).exit_code == 0
    )
    unit_id = make.unit("Huyện Đắk Hà").id
    db.session.rollback()
    return officer, unit_id


class Checker:
    def __init__(self, client, unit_id: int):
        self.client, self.unit_id = client, unit_id
        self.before = dump(UNTOUCHED_EXCEPT)
        self.audit_before = changes_audited()
        self.old_batches = batches_dump()
        self.cases = 0
        self.outcomes: Counter = Counter()

    def upload(self, data: bytes, filename: str) -> None:
        # Encoded here, in memory: the test client would spool a big body to a temporary file
        # that it never closes.
        boundary, body = encode_multipart(
            MultiDict(
                [
                    ("file", FileStorage(io.BytesIO(data), filename=filename)),
                    ("unit_id", str(self.unit_id)),
                ]
            )
        )
        resp = self.client.post(
            "/imports/upload", data=body, content_type=f"multipart/form-data; boundary={boundary}"
        )
        assert resp.status_code in (200, 302, 413), resp.status_code
        pages = [resp.get_data(as_text=True)]
        if resp.status_code == 302:
            location = resp.headers["Location"]
            assert re.fullmatch(r"/imports/\d+", location), location
            page = self.client.get(location)
            assert page.status_code == 200
            pages.append(page.get_data(as_text=True))
            self._error_workbook(location)
        html = pages[-1]
        self.cases += 1
        error = re.search(r'<div class="flash flash-danger">', html)
        self.outcomes[
            "upload refused"
            if resp.status_code != 302
            else "rejected file"
            if error
            else "previewed rows"
        ] += 1
        messages = [next(g for g in m.groups() if g) for m in MESSAGE.finditer(html)]
        if resp.status_code == 413:
            messages.append(html)
        assert messages and any(VIETNAMESE.search(m) for m in messages), html[:3000]
        assert "<script>alert(1)</script>" not in html
        self.assert_unchanged()

    def _error_workbook(self, location: str) -> None:
        batch = db.session.get(ImportBatch, int(location.rsplit("/", 1)[1]))
        invalid = (batch.counts or {}).get("invalid", 0)
        db.session.rollback()
        if invalid:
            resp = self.client.get(f"{location}/errors.xlsx")
            assert resp.status_code == 200
            wb = openpyxl.load_workbook(io.BytesIO(resp.data))
            assert wb.worksheets[0].max_row >= 2

    def assert_unchanged(self) -> None:
        after = dump(UNTOUCHED_EXCEPT)
        assert after == self.before, "the registry changed: " + _first_difference(
            self.before, after
        )
        assert changes_audited() == self.audit_before, "a change was audited"
        now = batches_dump()
        for batch_id, row in self.old_batches.items():
            assert now.get(batch_id) == row, f"import batch {batch_id} changed"
        new = (
            db.session.execute(
                sa.select(ImportBatch.status).where(
                    ImportBatch.id > max(self.old_batches, default=0)
                )
            )
            .scalars()
            .all()
        )
        db.session.rollback()
        assert all(s in (ImportStatus.PREVIEWED, ImportStatus.REJECTED) for s in new), new


def _first_difference(a: bytes, b: bytes) -> str:
    for la, lb in zip(a.splitlines(), b.splitlines(), strict=False):
        if la != lb:
            return f"{la[:300]!r} != {lb[:300]!r}"
    return "different number of tables"


def test_hostile_uploads_change_nothing(uploader, capsys):
    checker = Checker(*uploader)

    @given(data=files.hostile_file, filename=files.filenames)
    def upload_one(data: bytes, filename: str) -> None:
        checker.upload(data, filename)

    upload_one()
    wanted = settings().max_examples
    with capsys.disabled():
        print(f"\nhostile uploads: {checker.cases} cases, outcomes {dict(checker.outcomes)}")
    assert checker.cases >= wanted, f"only {checker.cases} of {wanted} cases ran"


@pytest.mark.parametrize("case", list(files.HUGE_CASES))
def test_huge_and_bomb_files_change_nothing(uploader, case):
    Checker(*uploader).upload(files.HUGE_CASES[case](), "danh-sach.xlsx")


# The 5,000-row sample takes seconds: only in the long (ci) run.
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "ci"


@pytest.mark.parametrize("name", files.BASES + ["S10_tinh_kontum_5000_dong.xlsx"] * LONG)
def test_every_sample_previews_without_change(uploader, name):
    Checker(*uploader).upload(files.sample(name), name)


def test_file_over_the_size_limit_is_refused_in_vietnamese(uploader, app):
    client, unit_id = uploader
    limit = app.config["MAX_CONTENT_LENGTH"]
    checker = Checker(client, unit_id)
    checker.upload(b"PK\x03\x04" + b"\0" * (limit + 10), "to.xlsx")


HOSTILE_PEOPLE = [
    ["Nguyễn " + "Văn " * 2500 + "An", "01/01/1980", "Nam", "Kinh", "Xã Đắk Hring", "", ""],
    ["\u202e" + "ꙮ" * 300, "01/01/1981", "Nữ", "Kinh", "Xã Đắk La", "Trưởng thôn" * 40, ""],
    ["A\u0000B\u0007C\u200fD", "02/02/1982", "Nam", "Kinh", "Xã Đắk La", "\u0000", ""],
    ["<script>alert(2)</script>", "03/03/1983", "Nữ", "Xơ Đăng", "Xã Đắk La", "=1+1", ""],
]


@pytest.mark.parametrize("person", HOSTILE_PEOPLE, ids=["10k-name", "rtl-long", "nul", "script"])
def test_confirming_hostile_text_gives_no_server_error(uploader, person):
    """Rows the preview accepts must also be storable: confirming them never fails the server,
    and either the row is imported whole or nothing is."""
    client, unit_id = uploader
    data = files.package(files.sheet_xml(files.roster_rows([person])))
    boundary, body = encode_multipart(
        MultiDict(
            [("file", FileStorage(io.BytesIO(data), filename="ds.xlsx")), ("unit_id", str(unit_id))]
        )
    )
    resp = client.post(
        "/imports/upload", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    if resp.status_code == 200:  # refused at upload, with the reason
        html = resp.get_data(as_text=True)
        errors = re.findall(r'<div class="error">(.*?)</div>', html, re.S)
        assert errors and VIETNAMESE.search(errors[0]), html[:2000]
        return
    assert resp.status_code == 302
    location = resp.headers["Location"]
    persons_before = dump(exclude=IMPORT_TABLES | {"audit_log"})
    resp = client.post(f"{location}/confirm", follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200, html[:2000]
    assert "<script>alert(2)</script>" not in html
    flashes = re.findall(r'<div class="flash flash-\w+" role="alert">(.*?)</div>', html, re.S)
    assert flashes and VIETNAMESE.search(flashes[0]), flashes
    batch = db.session.get(ImportBatch, int(location.rsplit("/", 1)[1]))
    if batch.status is not ImportStatus.COMMITTED:
        assert dump(exclude=IMPORT_TABLES | {"audit_log"}) == persons_before
    db.session.rollback()
    for url in ("/roster?status=all", "/imports/"):
        assert client.get(url).status_code == 200


def test_cli_import_of_a_file_that_crashes_the_reader(app, ctx, tmp_path):
    """The CLI too: a damaged .xls that makes the Rust reader panic is a Vietnamese error."""
    path = tmp_path / "hong.xls"
    path.write_bytes(files.HUGE_CASES[".xls cut inside its sector table"]())
    before = dump(IMPORT_TABLES)
    result = app.test_cli_runner().invoke(
        args=["import-roster", str(path), "--unit", "Huyện Đắk Hà"]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert VIETNAMESE.search(result.output) and "bị hỏng" in result.output, result.output
    assert dump(IMPORT_TABLES) == before
