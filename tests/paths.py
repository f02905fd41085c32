"""Where the tests find the repository, the sample uploads and the shipped reference data."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "samples"
REFDATA = ROOT / "registry" / "refdata"
