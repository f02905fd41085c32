"""Fixed enumerations of the domain, each value with its Vietnamese label."""
from __future__ import annotations

import enum


# Not enum.StrEnum: it would turn str() and f"{member}" from "Role.BCV" into "BCV".
class LabelledEnum(str, enum.Enum):  # noqa: UP042
    """A string enum whose members carry a Vietnamese label."""

    def __new__(cls, value: str, label: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]

    @classmethod
    def parse(cls, value: str | None):
        """Return the member for a value, or None when the value is unknown."""
        # A dict lookup: Enum's own constructor is slow enough to show in bulk imports.
        return cls._value2member_map_.get(value) if isinstance(value, str) else None


class Role(LabelledEnum):
    BCV = ("BCV", "Báo cáo viên")
    TTV = ("TTV", "Tuyên truyền viên")


class LevelEnum(LabelledEnum):
    """A level whose label is one word ("Xã", the value of a "Cấp" column) and whose `phrase`
    reads in running text: "cấp xã", "cấp huyện"; Trung ương keeps its capital."""

    @property
    def phrase(self) -> str:
        if self.value == "trung_uong":
            return self.label
        if self.value == "co_quan":
            return self.label.lower()
        return f"cấp {self.label.lower()}"


class Level(LevelEnum):
    TRUNG_UONG = ("trung_uong", "Trung ương")
    TINH = ("tinh", "Tỉnh")
    HUYEN = ("huyen", "Huyện")
    # Stored as co_so; shown as "Xã" (one word for the commune level everywhere, issue 15).
    CO_SO = ("co_so", "Xã")


class UnitKind(LabelledEnum):
    TINH = ("tinh", "Tỉnh")
    HUYEN = ("huyen", "Huyện/thành phố")
    XA = ("xa", "Xã/phường/thị trấn")
    THON = ("thon", "Thôn/tổ dân phố/chi bộ")
    CO_QUAN = ("co_quan", "Cơ quan/đảng ủy trực thuộc")


class EndReason(LabelledEnum):
    HET_NHIEM_KY = ("het_nhiem_ky", "Hết nhiệm kỳ")
    MIEN_NHIEM = ("mien_nhiem", "Miễn nhiệm")
    DUA_RA_KHOI_DS = ("dua_ra_khoi_danh_sach", "Đưa ra khỏi danh sách")
    CHUYEN_CONG_TAC = ("chuyen_cong_tac", "Chuyển công tác")
    NGHI_HUU = ("nghi_huu", "Nghỉ hưu")
    TU_TRAN = ("tu_tran", "Từ trần")
    SAP_XEP = ("sap_xep_bo_may", "Do sắp xếp tổ chức bộ máy")


class UserRole(LabelledEnum):
    ADMIN = ("admin", "Quản trị (toàn tỉnh)")
    OFFICER = ("officer", "Cán bộ nghiệp vụ")
    VIEWER = ("viewer", "Chỉ xem")


class Gender(LabelledEnum):
    NAM = ("Nam", "Nam")
    NU = ("Nữ", "Nữ")


class DatePrecision(LabelledEnum):
    DAY = ("day", "Ngày/tháng/năm")
    MONTH = ("month", "Tháng/năm")
    YEAR = ("year", "Năm")


class OrgLevel(LevelEnum):
    """The level of a body that organises a course or issues a commendation."""

    TRUNG_UONG = ("trung_uong", "Trung ương")
    TINH = ("tinh", "Tỉnh")
    HUYEN = ("huyen", "Huyện")
    XA = ("xa", "Xã")
    CO_QUAN = ("co_quan", "Cơ quan, đơn vị")


class CourseKind(LabelledEnum):
    BOI_DUONG = ("boi_duong", "Bồi dưỡng")
    TAP_HUAN = ("tap_huan", "Tập huấn")
    HOI_NGHI_BCV = ("hoi_nghi_bcv", "Hội nghị báo cáo viên")
    HOI_THI = ("hoi_thi", "Hội thi")


class DeliveryForm(LabelledEnum):
    TRUC_TIEP = ("truc_tiep", "Trực tiếp")
    TRUC_TUYEN = ("truc_tuyen", "Trực tuyến")


class TrainingResult(LabelledEnum):
    XUAT_SAC = ("xuat_sac", "Xuất sắc")
    GIOI = ("gioi", "Giỏi")
    KHA = ("kha", "Khá")
    TRUNG_BINH = ("trung_binh", "Trung bình")
    HOAN_THANH = ("hoan_thanh", "Hoàn thành")
    KHONG_HOAN_THANH = ("khong_hoan_thanh", "Không hoàn thành")

    @property
    def completed(self) -> bool:
        return self is not TrainingResult.KHONG_HOAN_THANH


class PaymentKind(LabelledEnum):
    PHU_CAP_THANG = ("phu_cap_thang", "Phụ cấp hằng tháng")
    THU_LAO_BUOI = ("thu_lao_buoi", "Thù lao mỗi buổi báo cáo")
    HO_TRO = ("ho_tro", "Hỗ trợ")


class DisciplineSystem(LabelledEnum):
    DANG = ("dang", "Đảng")
    CHINH_QUYEN = ("chinh_quyen", "Chính quyền (cán bộ, công chức)")
    BCV_TTV = ("bcv_ttv", "Xử lý BCV, TTV")


class DocumentKind(LabelledEnum):
    """What the propaganda department supplies to its reporters (Directive 30)."""

    DINH_HUONG = ("dinh_huong", "Thông tin định hướng")
    THONG_BAO_NOI_BO = ("thong_bao_noi_bo", "Thông báo nội bộ")
    TAI_LIEU = ("tai_lieu_tuyen_truyen", "Tài liệu tuyên truyền")
    DE_CUONG = ("de_cuong", "Đề cương")


class ChannelPlatform(LabelledEnum):
    ZALO = ("zalo", "Nhóm Zalo")
    FACEBOOK_GROUP = ("facebook_group", "Nhóm Facebook")
    FANPAGE = ("fanpage", "Trang Facebook (fanpage)")
    WEBSITE = ("website", "Trang thông tin điện tử")


class EvaluationRating(LabelledEnum):
    """The yearly rating, best first (the order the report counts them in)."""

    XUAT_SAC = ("xuat_sac", "Hoàn thành xuất sắc nhiệm vụ")
    TOT = ("tot", "Hoàn thành tốt nhiệm vụ")
    HOAN_THANH = ("hoan_thanh", "Hoàn thành nhiệm vụ")
    KHONG_HOAN_THANH = ("khong_hoan_thanh", "Không hoàn thành nhiệm vụ")


def enum_column(enum_cls: type[enum.Enum], length: int = 32):
    """A portable string column for an enum (no native DB enum: migrations stay simple)."""
    import sqlalchemy as sa

    return sa.Enum(enum_cls, native_enum=False, length=length, validate_strings=True,
                   values_callable=lambda e: [m.value for m in e])


class AttachmentKind(LabelledEnum):
    PHOTO = ("anh_chan_dung", "Ảnh chân dung")
    DECISION = ("quyet_dinh", "Bản chụp quyết định")
    CERTIFICATE = ("chung_nhan", "Giấy chứng nhận")
    OTHER = ("khac", "Tài liệu khác")
