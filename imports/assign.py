"""Stage 6: role, level, unit and district of a row, from its cells and the uploader's scope."""
from __future__ import annotations

from dataclasses import dataclass, replace

from .catalogue import Catalogue, UnitMatch, UnitRef
from .normalise import clean_text, parse_level, parse_role
from .text import fold_case
from .unit_match import find_unit, foreign_title_unit, former_district_in

_ADMIN_WORDS = ("xã", "phường", "thị trấn", "tt", "x.", "p.")
# A place-stage reason outside imports.REASONS (whose order the contract pins): the row names a
# former unit divided among several current ones, none of them its default.
AMBIGUOUS_SUCCESSOR = "ambiguous_successor"


@dataclass(frozen=True, slots=True)
class UploadContext:
    catalogue: Catalogue
    uploader: UnitRef

    @property
    def province_scope(self) -> bool:
        return self.uploader.level == "tỉnh"

    @property
    def district(self) -> UnitRef | None:
        """The uploader's district in a district (or commune) upload."""
        if self.province_scope:
            return None
        if self.uploader.level == "huyện":
            return self.uploader
        return self.catalogue.district_named(self.uploader.district)


@dataclass(frozen=True, slots=True)
class Placement:
    role: str | None
    level: str | None
    unit: UnitRef | None
    unit_text: str | None            # the text as written (shown when it cannot be resolved)
    district: str | None
    problem: tuple[str, str, str] | None = None   # (reason, field, Vietnamese phrase)
    workplace: str | None = None     # an agency written as the unit: the person's workplace
    note: str | None = None          # how the unit text was understood ("hiểu là Xã Ia Đal")
    landing: UnitRef | None = None   # where the row lands today, when `unit` is a former unit
    choices: tuple[str, ...] = ()    # the successors to choose from (ambiguous_successor)


class Placer:
    """Resolves placements for one sheet; results are memoised (units repeat a lot)."""

    def __init__(self, ctx: UploadContext, sheet_role: str, has_unit_column: bool,
                 title: tuple[str, ...] = ()) -> None:
        """title: the lines above the header; a sheet without a unit column whose title names
        another unit than the uploader's is that unit's list, and none of its rows is taken."""
        self.ctx, self.cat = ctx, ctx.catalogue
        self.sheet_role, self.has_unit_column = sheet_role, has_unit_column
        self._memo: dict[tuple, Placement] = {}
        self._refusal = None if has_unit_column else self._foreign_title(title)
        # Uploaded where no district is implied (the province, a commune of today), a list
        # titled with a former district reads its names in that district's former tree.
        self._title_district = (
            former_district_in(self.cat, title) if ctx.district is None and title else None)

    def place(self, role_cell: object, level_cell: object, unit_cell: object, district_cell: object,
              section: str | None) -> Placement:
        key = (role_cell, level_cell, unit_cell, district_cell, section)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._landed(self._place(*key))
        return found

    def _landed(self, placement: Placement) -> Placement:
        """A former unit's row lands in the unit that took it over."""
        unit = placement.unit
        if unit is None or unit.current or placement.problem is not None:
            return placement
        landing = self.cat.lands_in(unit)
        if landing is not None:
            return replace(placement, landing=landing if landing is not unit else None)
        choices = tuple(sorted(u.name for u in self.cat.successor_choices(unit)))
        phrase = (f"«{placement.unit_text or unit.name}» là {unit.name} (cũ), nay chia cho "
                  f"{', '.join(choices)}; chưa rõ thuộc đơn vị nào, hãy ghi tên đơn vị mới")
        return replace(placement, problem=(AMBIGUOUS_SUCCESSOR, "unit", phrase), choices=choices)

    def _foreign_title(self, title: tuple[str, ...]) -> tuple[str, str, str] | None:
        found = foreign_title_unit(self.cat, title, self.ctx.uploader)
        if found is None:
            return None
        unit, line = found
        return ("unknown_unit", "unit", f"tiêu đề «{line}»: đây là danh sách của {unit.name}, "
                f"không phải của {self.ctx.uploader.name}; hãy để {unit.name} (hoặc tỉnh) nhập "
                "tệp này")

    def _place(self, role_cell, level_cell, unit_cell, district_cell, section) -> Placement:
        role = parse_role(role_cell) or self.sheet_role
        level = parse_level(level_cell)
        unit_text = clean_text(unit_cell)
        if self._refusal is not None:
            return Placement(role, level, None, unit_text, None, self._refusal)
        if unit_text is None and section and not self.has_unit_column and self._unit_like(section):
            unit_text = section
        if unit_text is None and self.ctx.uploader.is_commune and role == "TTV":
            unit_text = self.ctx.uploader.name      # a commune uploads its own list
        district, problem = self._district(clean_text(district_cell))
        if problem:
            return Placement(role, level, None, unit_text, None, problem)
        if level == "tỉnh":
            return self._province(role, unit_text)
        if level == "huyện" or (unit_text is None and role != "TTV" and level != "xã"):
            if district is not None:
                return self._in_district(role, district, unit_text)
            if level is None and unit_text is None and self.ctx.province_scope:
                return self._province(role, None)      # the province's own reporters
            return self._district_from_unit(role, unit_text)
        if unit_text is None:
            return Placement(role, level, None, None, district.name if district else None,
                             ("missing_unit", "unit", "chưa ghi đơn vị (xã, phường, thị trấn)"))
        communes_only = level == "xã" or role == "TTV"
        match = find_unit(
            self.cat, unit_text, district.name if district else None, communes_only=communes_only
        )
        if match.unit is None:
            return Placement(
                role,
                level,
                None,
                unit_text,
                district.name if district else None,
                ("unknown_unit", "unit", self._unit_problem(unit_text, match, district)),
            )
        unit = match.unit
        return Placement(role, level or unit.level, unit, unit_text, unit.district,
                         None, *self._understood(match, unit_text))

    def _understood(self, match: UnitMatch, text: str) -> tuple[str | None, str | None]:
        """(workplace, note) of a unit found from how the text was written: an agency's name
        is the person's workplace (when it fits its column)."""
        assert match.unit is not None
        limit = self.cat.max_lengths.get("workplace")
        fits = limit is None or len(text) <= limit
        workplace = text if match.agency and fits else None
        return workplace, _note(text, match.unit) if match.loose else None

    def _in_district(self, role: str | None, district: UnitRef, text: str | None) -> Placement:
        """A district-level row of a known district: its unit text (an agency, a commune) may
        only name that district or a unit in it."""
        match = find_unit(self.cat, text, district.name, communes_only=False) if text else None
        if match is None or (match.unit is None and match.problem != "outside"):
            return Placement(role, "huyện", district, text, district.name)
        if match.unit is None:
            return Placement(role, "huyện", None, text, district.name,
                             ("unknown_unit", "unit", self._unit_problem(text, match, district)))
        workplace, _ = self._understood(match, text)
        note = _note(text, district) if match.loose else None
        return Placement(role, "huyện", district, text, district.name, None, workplace, note)

    def _unit_like(self, label: str) -> bool:
        folded = fold_case(label)
        if folded.startswith(_ADMIN_WORDS):
            return True
        district = self.ctx.district
        return self.cat.find_unit(label, district.name if district else None).unit is not None

    def _district(self, text: str | None) -> tuple[UnitRef | None, tuple[str, str, str] | None]:
        own = self.ctx.district or self._title_district
        if text is None:
            return own, None
        found = self.cat.find_district(text)
        if self.ctx.province_scope:
            if found is None:
                return None, (
                    "unknown_unit",
                    "district",
                    f"«{text}» không có trong danh mục huyện, thành phố",
                )
            return found, None
        if own is None and found is not None:
            return found, None  # a commune of today uploads a file of the former structure
        if found is None or (own is not None and found.name != own.name):
            return own, (
                "unknown_unit",
                "district",
                f"«{text}» không thuộc phạm vi của {own.name if own else 'đơn vị tải lên'}",
            )
        return own, None

    def _province(self, role: str | None, unit_text: str | None) -> Placement:
        province = self.cat.province
        if not self.ctx.province_scope or province is None:
            where = self.ctx.district.name if self.ctx.district else self.ctx.uploader.name
            return Placement(
                role,
                "tỉnh",
                None,
                unit_text,
                None,
                ("unknown_unit", "level", f"người cấp tỉnh nằm ngoài phạm vi của {where}"),
            )
        if unit_text is None:
            return Placement(role, "tỉnh", province, None, None)
        # "Ban Tuyên giáo Tỉnh ủy", "Sở Nội vụ tỉnh Kon Tum": the workplace of a province's BCV
        match = find_unit(self.cat, unit_text, None, communes_only=False)
        workplace = self._understood(match, unit_text)[0] if match.unit == province else None
        return Placement(role, "tỉnh", province, unit_text, None, None, workplace)

    def _district_from_unit(self, role: str | None, unit_text: str | None) -> Placement:
        """Province upload, district level, no district column: the unit cell may name the
        district (or an agency or commune in it)."""
        if unit_text is not None:
            found = self.cat.find_district(unit_text)
            if found is not None:
                return Placement(role, "huyện", found, unit_text, found.name)
            match = find_unit(self.cat, unit_text, None, communes_only=False)
            found = self.cat.district_named(match.unit.district) if match.unit else None
            if found is not None:
                workplace, _ = self._understood(match, unit_text)
                return Placement(role, "huyện", found, unit_text, found.name, None, workplace,
                                 _note(unit_text, found))
            phrase = (self._unit_problem(unit_text, match, None) if match.problem == "ambiguous"
                      else f"«{unit_text}» không có trong danh mục huyện, thành phố")
            return Placement(role, "huyện", None, unit_text, None, ("unknown_unit", "unit", phrase))
        return Placement(
            role,
            "huyện",
            None,
            None,
            None,
            ("missing_unit", "district", "chưa ghi huyện, thành phố"),
        )

    def _unit_problem(self, text: str, match: UnitMatch, district: UnitRef | None) -> str:
        if match.problem == "ambiguous" and match.loose:
            both = " và ".join(_where(u) for u in sorted(match.others, key=_where))
            return f"«{text}» có thể là {both}; hãy ghi đúng tên đơn vị"
        if match.problem == "ambiguous":
            where = ", ".join(u.district or "" for u in match.others)
            return f"«{text}» có ở nhiều huyện ({where}); hãy ghi rõ huyện"
        if match.problem == "district_only":
            return f"«{text}» chỉ ghi {match.others[0].name}, chưa ghi xã, phường, thị trấn"
        if match.problem == "outside" and match.others and district is not None:
            other = match.others[0]
            return f"«{text}» thuộc {other.district or other.name}, không thuộc {district.name}"
        if district is not None:
            return f"«{text}» không có trong danh mục xã, phường, thị trấn của {district.name}"
        province = self.cat.province.name if self.cat.province else "tỉnh"
        return f"«{text}» không có trong danh mục đơn vị của {province}"


def _where(unit: UnitRef) -> str:
    """A unit's name, with its district when it is a commune."""
    return f"{unit.name} ({unit.district})" if unit.is_commune and unit.district else unit.name


def _note(text: str, unit: UnitRef) -> str:
    return f"«{text}» hiểu là {unit.name}"
