"""THE column specification, shared by import and export so that the two cannot drift apart.

Each field has a key, the Vietnamese label the export writes, and the header texts that the import
recognises.  Header texts are compared in the form of text.header_key() (NFC, case folded,
whitespace collapsed, `, . : ; ( ) / - *` turned into spaces).
"""
from __future__ import annotations

from dataclasses import dataclass

from .text import header_key


@dataclass(frozen=True, slots=True)
class FieldSpec:
    key: str
    label: str                      # header written by the export ("complete" layout)
    kind: str                       # how values are normalised (see normalise.py / validate.py)
    contract: bool = False          # one of the ten fields of the import contract
    recognised: bool = False        # counts towards header detection
    exact: tuple[str, ...] = ()     # header keys matched exactly
    prefixes: tuple[str, ...] = ()  # matched as the leading words
    contains: tuple[str, ...] = ()  # matched as whole words anywhere
    strength: int = 2               # when two columns claim a field, the stronger one wins
    fallback: str | None = None     # field for the weaker column in such a conflict


IGNORED = FieldSpec("", "", "ignored", contains=(
    "nơi sinh", "ngày cấp", "nơi cấp", "nơi ở", "thường trú", "hộ khẩu", "chỗ ở", "tạm trú"))

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "party_join_date",
        "Ngày vào Đảng",
        "date_text",
        contains=("vào đảng", "kết nạp", "ngày vào đảng"),
    ),
    FieldSpec(
        "stt",
        "STT",
        "stt",
        recognised=True,
        exact=("stt", "tt", "số tt", "số thứ tự", "thứ tự", "số tt stt"),
    ),
    FieldSpec(
        "full_name", "Họ và tên", "name", contract=True, recognised=True
    ),  # rule in match_header
    FieldSpec(
        "dob",
        "Ngày sinh",
        "dob",
        contract=True,
        recognised=True,
        contains=("ngày sinh", "năm sinh", "tháng năm sinh", "sinh ngày", "sinh năm"),
        exact=("ns",),
    ),
    FieldSpec(
        "gender",
        "Giới tính",
        "gender",
        contract=True,
        recognised=True,
        prefixes=("giới tính", "giới"),
        exact=("nam nữ", "phái", "nữ nam"),
    ),
    FieldSpec(
        "position",
        "Chức vụ",
        "text",
        contract=True,
        recognised=True,
        prefixes=("chức vụ", "chức danh"),
    ),
    FieldSpec(
        "ethnicity", "Dân tộc", "ethnicity", contract=True, recognised=True, prefixes=("dân tộc",)
    ),
    FieldSpec("religion", "Tôn giáo", "text", prefixes=("tôn giáo",)),
    FieldSpec("hometown", "Quê quán", "text", prefixes=("quê quán", "nguyên quán", "quê")),
    FieldSpec(
        "cccd",
        "Số CCCD",
        "cccd",
        contract=True,
        recognised=True,
        contains=("cccd", "căn cước", "định danh", "cmnd", "chứng minh"),
    ),
    FieldSpec(
        "role",
        "Vai trò",
        "role",
        contract=True,
        recognised=True,
        # "Loại" was this column's header before issue 15: older files still carry it.
        exact=("vai trò", "loại", "bcv ttv", "ttv bcv", "đối tượng"),
        prefixes=("vai trò", "loại"),
    ),
    FieldSpec(
        "level",
        "Cấp",
        "level",
        contract=True,
        recognised=True,
        exact=("cấp", "cấp bcv", "cấp tỉnh huyện xã", "cấp quản lý"),
    ),
    FieldSpec(
        "district",
        "Huyện/Thành phố",
        "district",
        contract=True,
        recognised=True,
        prefixes=("huyện", "quận huyện", "thuộc huyện"),
    ),
    # The decision's date and body before "workplace" (whose "cơ quan" would take "Cơ quan quyết
    # định") and before decision_no (whose "quyết định" would take both).
    FieldSpec(
        "decision_date",
        "Ngày quyết định",
        "appointment_date",
        prefixes=("ngày quyết định", "ngày qđ", "ngày ký quyết định", "ngày ký qđ", "ngày ra qđ",
                  "ngày ra quyết định", "ngày ban hành qđ", "ngày ban hành quyết định"),
    ),
    FieldSpec(
        "decision_body",
        "Cơ quan quyết định",
        "text",
        prefixes=("cơ quan quyết định", "cơ quan ra quyết định", "cấp quyết định",
                  "cấp ra quyết định", "cơ quan ban hành qđ", "cơ quan ban hành quyết định",
                  "cơ quan ra qđ", "cơ quan qđ", "nơi ban hành qđ", "nơi ra quyết định"),
    ),
    FieldSpec("term", "Nhiệm kỳ", "text", prefixes=("nhiệm kỳ",)),
    FieldSpec(
        "workplace",
        "Nơi công tác",
        "text",
        prefixes=("nơi công tác", "cơ quan công tác", "cơ quan đơn vị công tác", "cơ quan"),
    ),
    FieldSpec(
        "unit",
        "Đơn vị",
        "unit",
        contract=True,
        recognised=True,
        strength=1,
        fallback="workplace",
        prefixes=("đơn vị công tác",),
    ),
    FieldSpec(
        "unit",
        "Đơn vị",
        "unit",
        contract=True,
        recognised=True,
        prefixes=("đơn vị", "xã", "phường", "thị trấn", "tên đơn vị", "tên xã", "tên phường"),
    ),
    FieldSpec(
        "education",
        "Trình độ học vấn",
        "text",
        prefixes=(
            "trình độ học vấn",
            "học vấn",
            "trình độ văn hóa",
            "văn hóa",
            "trình độ văn hoá",
            "văn hoá",
            "trình độ gdpt",
            "gdpt",
            "giáo dục phổ thông",
            "trình độ phổ thông",
        ),
    ),
    FieldSpec(
        "political_theory",
        "Lý luận chính trị",
        "text",
        contains=("lý luận", "lí luận", "llct"),
        prefixes=("chính trị", "trình độ chính trị"),
    ),
    FieldSpec("professional", "Chuyên môn", "text", contains=("chuyên môn",)),
    FieldSpec(
        "phone",
        "Điện thoại",
        "phone",
        contains=("điện thoại",),
        exact=("sđt", "sdt", "đt", "dt", "số đt", "di động", "số di động"),
    ),
    FieldSpec("email", "Email", "text", contains=("email", "e mail", "thư điện tử")),
    FieldSpec("notes", "Ghi chú", "text", prefixes=("ghi chú",)),
    FieldSpec(
        "decision_no", "Số quyết định", "text", contains=("quyết định",),
        exact=("số qđ", "qđ", "số q đ")
    ),
    # The appointment's dates and end reason (validate.py reads them together): a row of an
    # ended appointment stays history (history.py); a start date is the new appointment's.
    # Leading words only, so that "Lý do kết thúc" is not taken for the end date.
    FieldSpec(
        "end_date",
        "Ngày kết thúc",
        "appointment_date",
        prefixes=("ngày kết thúc", "kết thúc", "thời gian kết thúc", "ngày thôi", "đến ngày"),
    ),
    FieldSpec(
        "start_date",
        "Ngày bắt đầu",
        "appointment_date",
        prefixes=("ngày bắt đầu", "bắt đầu", "thời gian bắt đầu", "từ ngày", "ngày công nhận",
                  "ngày được công nhận", "ngày bổ nhiệm"),
    ),
    FieldSpec(
        "end_reason",
        "Lý do kết thúc",
        "text",
        prefixes=("lý do kết thúc", "lí do kết thúc", "lý do thôi", "lí do thôi"),
    ),
)

BY_KEY: dict[str, FieldSpec] = {}
for _spec in FIELDS:
    BY_KEY.setdefault(_spec.key, _spec)
CONTRACT_FIELDS: tuple[str, ...] = (
    "full_name",
    "dob",
    "gender",
    "ethnicity",
    "unit",
    "district",
    "role",
    "level",
    "position",
    "cccd",
)
EXTRA_FIELDS: tuple[str, ...] = (
    "religion",
    "party_join_date",
    "education",
    "professional",
    "political_theory",
    "phone",
    "email",
    "workplace",
    "notes",
    "hometown",
    "decision_no",
    "decision_body",
    "term",
)
# The appointment's dates (and the end reason), read together and checked against each other
# (validate.py) when the sheet has any of them: without them a file costs nothing more.
APPOINTMENT_FIELDS: tuple[str, ...] = ("end_date", "start_date", "end_reason", "decision_date")
# What a row tells about the appointment it starts, beyond role, level and unit (the preview
# shows them, the commit writes them).
DECISION_FIELDS: tuple[str, ...] = ("start_date", "decision_no", "decision_date", "decision_body",
                                    "term")
# Column order of the "complete" export layout.
EXPORT_ORDER: tuple[str, ...] = (
    "stt",
    "full_name",
    "dob",
    "gender",
    "ethnicity",
    "religion",
    "hometown",
    "role",
    "level",
    "district",
    "unit",
    "position",
    "cccd",
    "party_join_date",
    "education",
    "professional",
    "political_theory",
    "phone",
    "email",
    "workplace",
    "decision_no",
    "decision_date",
    "decision_body",
    "term",
    "notes",
)

# Texts that may fill a second header row under merged group cells.
SUB_HEADERS = frozenset(
    {
        "nam",
        "nữ",
        "nu",
        "ngày",
        "tháng",
        "năm",
        "số",
        "ngày cấp",
        "nơi cấp",
        "tin học",
        "ngoại ngữ",
        "đảng viên",
        "đoàn viên",
        "chuyên môn",
        "học vấn",
        "văn hóa",
        "lý luận chính trị",
        "llct",
        "chính trị",
        "nghiệp vụ",
        "quản lý nhà nước",
    }
)
MALE, FEMALE = "nam", "nữ"


def _words_match(key: str, spec: FieldSpec) -> bool:
    if key in spec.exact or key.replace(" ", "") in spec.exact:  # `S.T.T` -> `stt`
        return True
    if any(key == p or key.startswith(p + " ") for p in spec.prefixes):
        return True
    padded = f" {key} "
    return any(f" {c} " in padded for c in spec.contains)


def _is_name_header(key: str) -> bool:
    words = key.split()
    return "họ" in words and "tên" in words


def match_header(text: str) -> FieldSpec | None:
    """The field a header cell names, or None (unknown or deliberately ignored column)."""
    key = header_key(text)
    if not key or _words_match(key, IGNORED):
        return None
    for spec in FIELDS:
        if spec.key == "full_name":
            if _is_name_header(key):
                return spec
        elif spec.key == "level" and key.startswith(("cấp ủy", "cấp uỷ")):
            continue
        elif _words_match(key, spec):
            return spec
    return None


def is_sub_header(text: str) -> bool:
    key = header_key(text)
    return key in SUB_HEADERS or match_header(text) is not None


def gender_word(text: str) -> str | None:
    """'nam' / 'nữ' for a Nam/Nữ sub-header, else None."""
    key = header_key(text)
    if key == MALE:
        return MALE
    return FEMALE if key in (FEMALE, "nu") else None
