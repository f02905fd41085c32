"""One word per concept, without a database: the level's label and phrase, the importer's
aliases for older files, sizes the Vietnamese way (issue 15 §6)."""
from __future__ import annotations

from imports.normalise import parse_level
from imports.spec import match_header
from models import Level, OrgLevel
from registry.core.templating import vn_size


def test_levels_read_as_one_word_and_cap_xa_in_running_text():
    assert [level.label for level in Level] == ["Trung ương", "Tỉnh", "Huyện", "Xã"]
    assert [level.phrase for level in Level] == ["Trung ương", "cấp tỉnh", "cấp huyện", "cấp xã"]
    assert Level.CO_SO.value == "co_so"  # the stored value is unchanged
    assert OrgLevel.XA.phrase == "cấp xã" and OrgLevel.CO_QUAN.phrase == "cơ quan, đơn vị"


def test_importer_still_reads_the_old_words():
    for text in ("Cơ sở", "cơ sở", "CƠ SỞ", "Xã", "cấp xã", "Cấp xã", "Phường"):
        assert parse_level(text) == "xã", text
    assert parse_level("Cấp huyện") == "huyện" and parse_level("Tỉnh") == "tỉnh"
    for header in ("Vai trò", "Loại", "vai trò (BCV/TTV)"):
        assert match_header(header).key == "role", header


def test_sizes_without_jargon():
    assert vn_size(10 * 1024 * 1024) == "10 MB"
    assert vn_size(int(1.5 * 1024 * 1024)) == "1,5 MB"
    assert vn_size(1536) == "2 KB" and vn_size(0) == "0 KB"
