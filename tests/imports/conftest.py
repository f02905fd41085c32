"""Fixtures for the pure importer tests: the reference catalogue and a parse helper.
No Flask application and no database are needed here."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from imports import Catalogue, ParseResult, UnitRef, parse_upload

from .builders import COLUMN_LIMITS, reference_catalogue


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return reference_catalogue(COLUMN_LIMITS)


@pytest.fixture(scope="session")
def district(catalogue: Catalogue) -> Callable[[str], UnitRef]:
    def find(name: str) -> UnitRef:
        unit = catalogue.district_named(name)
        assert unit is not None, name
        return unit
    return find


@pytest.fixture(scope="session")
def parse(catalogue: Catalogue, district) -> Callable[..., ParseResult]:
    """parse(data, uploader="Huyện Đắk Hà" | "province", filename=..., **kwargs)."""
    def run(
        data: bytes, uploader: str = "Huyện Đắk Hà", filename: str = "upload.xlsx", **kwargs
    ) -> ParseResult:
        unit = catalogue.province if uploader == "province" else district(uploader)
        return parse_upload(data, filename, catalogue, unit, **kwargs)

    return run
