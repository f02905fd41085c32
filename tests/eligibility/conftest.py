"""Fixtures of the eligibility tests."""
from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def qualified(make):
    """A TTV cơ sở who meets every default standard on 01/06/2025 (no chuyên môn recorded)."""
    person = make.person("Y Blô", "Xã Đắk La", political_theory="so_cap", party_member=True)
    make.attend(person, make.course("Huyện Đắk Hà", start=dt.date(2025, 3, 10),
                                    end=dt.date(2025, 3, 12)))
    return person
