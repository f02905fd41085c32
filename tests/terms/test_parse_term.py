"""parse_term: a term as written -> its years; anything else -> None."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imports.terms import MAX_SPAN, YEAR_HIGH, YEAR_LOW, parse_term, term_text

SEPARATORS = ["-", "–", "—", "/", "‐", "−"]
PREFIXES = ["", "NK ", "nk: ", "Nhiệm kỳ ", "nhiệm kỳ ", "NHIỆM KỲ ", "N.K. "]


@pytest.mark.parametrize("text", [
    "2020-2025", "2020 – 2025", "2020—2025", "NK 2020-2025", "nhiệm kỳ 2020 - 2025",
    "2020/2025", "  2020 -  2025 ", "(2020-2025)", "nhie\u0302\u0323m ky\u0300 2020-2025",
])
def test_written_terms_read(text):
    assert parse_term(text) == (2020, 2025)


@pytest.mark.parametrize("text", [
    None, "", "  ", "2025-2020", "2020-2031", "2020", "20-25", "2020-25", "abc",
    "Khóa XII", "2020-2025-2030", "1900-1905", "2099-2101", "٢٠٢٠-٢٠٢٥", "2020 2025",
    "nhiệm kỳ", "2020-2025 (kéo dài)",
])
def test_other_text_refused(text):
    assert parse_term(text) is None


years = st.integers(YEAR_LOW, YEAR_HIGH)


@given(start=years, span=st.integers(0, MAX_SPAN), sep=st.sampled_from(SEPARATORS),
       prefix=st.sampled_from(PREFIXES), left=st.sampled_from(["", " ", "  "]),
       right=st.sampled_from(["", " ", "\u00a0"]))
def test_any_spelling_of_a_term_reads_its_years(start, span, sep, prefix, left, right):
    end = start + span
    if end > YEAR_HIGH:
        return
    assert parse_term(f"{prefix}{start}{left}{sep}{right}{end}") == (start, end)


@given(start=years, end=years, sep=st.sampled_from(SEPARATORS))
def test_end_before_start_or_long_span_refused(start, end, sep):
    found = parse_term(f"{start}{sep}{end}")
    assert (found is not None) == (start <= end <= start + MAX_SPAN)


@given(st.text(max_size=40))
def test_any_text_gives_a_plausible_term_or_none(text):
    found = parse_term(text)
    if found is not None:
        start, end = found
        assert YEAR_LOW <= start <= end <= YEAR_HIGH and end - start <= MAX_SPAN
        assert str(start) in text and str(end) in text


@given(start=years, span=st.integers(0, MAX_SPAN))
def test_the_registry_s_own_spelling_reads_back(start, span):
    end = min(start + span, YEAR_HIGH)
    assert parse_term(term_text(start, end)) == (start, end)
