"""Property tests from the API's own OpenAPI document (issue 16): schemathesis generates requests
for every operation and sends them through WSGI with an admin's token; no answer is a 500, and
every answer has a documented status and matches its schema. Bounded (a few examples per
operation, derandomized, no shrinking) to run in the normal suite on both databases."""
from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from models import Level, Role, UserRole

DOCUMENT = "/api/v1/openapi.json"
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = 8
SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: report the first example as found
    suppress_health_check=list(HealthCheck))


@pytest.fixture
def document(app):
    return schemathesis.openapi.from_wsgi(DOCUMENT, app)


def test_the_document_validates_and_has_its_page(client, document):
    document.validate()  # the OpenAPI 3.0 meta-schema (schemathesis' jsonschema_rs validator)
    spec = client.get(DOCUMENT).get_json()
    assert spec["openapi"].startswith("3.0") and spec["paths"]
    resp = client.get("/api/v1/docs")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "//cdn" not in html and "unpkg" not in html and "swagger-ui" not in html.lower()
    for path, item in spec["paths"].items():
        for method in item:
            if method in ("get", "post", "put", "patch", "delete"):
                assert f"<strong>{method.upper()}</strong> {path}</code>" in html, path
    assert "curl" in html and "Authorization: Bearer $SDN_TOKEN" in html


def test_every_operation_answers_as_documented(app, make, document, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_PER_MINUTE", 100_000)
    admin = make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    make.person("Nguyễn Văn Một", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)
    make.person("Trần Thị Hai", "Xã Đắk Hring")
    headers = {"Authorization": f"Bearer {make.token(admin)}"}
    failures, operations = [], 0
    for result in document.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            _property(operation, headers)()
        # Every operation is tried; all failures are reported together (schemathesis raises a
        # FailureGroup, a BaseExceptionGroup).
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{operation.label}: {exc}"[:1200])
    assert operations > 0
    assert not failures, "\n\n".join(failures)


def _property(operation, headers: dict):
    @SETTINGS
    @given(case=operation.as_strategy())
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)
    return run
