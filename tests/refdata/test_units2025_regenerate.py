"""The checked-in units/*.json is exactly what tools/gen_units.py makes from the pinned packages."""
from __future__ import annotations

import json
import subprocess
import sys
from importlib.util import find_spec

import pytest

from registry.refdata import units2025
from tests.paths import ROOT


def _without_date(text: str) -> dict:
    # The generation date is the one field allowed to differ between two runs.
    doc = json.loads(text)
    doc["source"].pop("generated")
    return doc


def test_regenerating_gives_the_checked_in_files(tmp_path):
    missing = [name for name in ("vietnam_provinces", "vietnamadminunits") if not find_spec(name)]
    if missing:
        pytest.skip(f"dev requirements not installed ({', '.join(missing)}): "
                    "pip install -r requirements-dev.txt")
    from tools import gen_units

    written = gen_units.generate(tmp_path)
    assert sorted(p.name for p in written) == [p.name for p in units2025.province_files()]
    for path in written:
        shipped = units2025.UNITS_DIR / path.name
        assert _without_date(path.read_text("utf-8")) == _without_date(
            shipped.read_text("utf-8")), f"{path.name} differs: run python -m tools.gen_units"


def test_files_name_their_sources_and_versions():
    for path in units2025.province_files():
        source = json.loads(path.read_text("utf-8"))["source"]
        assert source["packages"] == {"vietnam-provinces": "2025.10.1",
                                      "vietnamadminunits": "1.0.4"}, path.name
        assert source["generated"] and source["generator"] == "tools/gen_units.py"


def test_the_versions_are_the_pinned_dev_requirements():
    pins = (ROOT / "requirements-dev.txt").read_text("utf-8").split()
    assert "vietnam-provinces==2025.10.1" in pins and "vietnamadminunits==1.0.4" in pins


def test_the_loader_needs_neither_package():
    # The app runs without the dev requirements: reading the JSON must not import them.
    code = ("import sys; from registry.refdata import units2025 as u; u.load();"
            "bad = {'vietnam_provinces', 'vietnamadminunits', 'shapely', 'geopy'};"
            "print(sorted(bad & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"
