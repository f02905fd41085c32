"""Ranked and plain reference lists loaded by init-db (codes are stable; names are labels)."""

# Ordered: eligibility compares ordinals. Aliases let imports and forms read common spellings.
POLITICAL_THEORY = [
    ("chua_qua_dao_tao", "Chưa qua đào tạo", 0, ["Chưa", "Không"]),
    ("so_cap", "Sơ cấp", 1, ["Sơ cấp LLCT", "SC"]),
    (
        "trung_cap",
        "Trung cấp",
        2,
        ["Trung cấp LLCT", "Trung cấp LLCT-HC", "Trung cấp LLCT - HC", "TC"],
    ),
    (
        "cao_cap",
        "Cao cấp",
        3,
        [
            "Cao cấp LLCT",
            "Cao cấp LLCT-HC",
            "Cao cấp LLCT - HC",
            "CC",
            "Xác nhận tương đương cao cấp",
        ],
    ),
    ("cu_nhan", "Cử nhân chính trị", 4, ["Cử nhân", "Cử nhân LLCT"]),
]

EDUCATION = [
    ("tieu_hoc", "Tiểu học", 1, ["5/12"]),
    ("thcs", "Trung học cơ sở", 2, ["9/12", "THCS"]),
    ("thpt", "Trung học phổ thông", 3, ["12/12", "THPT"]),
]

PROFESSIONAL = [
    ("chua_qua_dao_tao", "Chưa qua đào tạo", 0, []),
    ("so_cap", "Sơ cấp", 1, []),
    ("trung_cap", "Trung cấp", 2, []),
    ("cao_dang", "Cao đẳng", 3, []),
    ("dai_hoc", "Đại học", 4, ["Cử nhân", "Kỹ sư"]),
    ("thac_si", "Thạc sĩ", 5, []),
    ("tien_si", "Tiến sĩ", 6, []),
]

STATE_MANAGEMENT = [
    ("chuyen_vien", "Chuyên viên", 1, ["CV"]),
    ("chuyen_vien_chinh", "Chuyên viên chính", 2, ["CVC"]),
    ("chuyen_vien_cao_cap", "Chuyên viên cao cấp", 3, ["CVCC"]),
]

COMMENDATION_FORMS = [
    ("huan_chuong", "Huân chương", 1, []),
    ("huy_chuong", "Huy chương", 2, []),
    ("bang_khen", "Bằng khen", 3, []),
    ("giay_khen", "Giấy khen", 4, []),
    ("ky_niem_chuong", "Kỷ niệm chương", 5, ["Kỷ niệm chương Vì sự nghiệp Tuyên giáo"]),
    ("danh_hieu_thi_dua", "Danh hiệu thi đua", 6, ["Chiến sĩ thi đua", "Lao động tiên tiến"]),
    ("huy_hieu_dang", "Huy hiệu Đảng", 7, []),
    ("khen_thuong_cap_uy", "Khen thưởng của cấp ủy", 8, []),
]

# Ordinal = severity: eligibility treats "khiển trách or heavier" as ordinal >= 3.
DISCIPLINE_FORMS = [
    ("nhac_nho", "Nhắc nhở", 1, []),
    ("phe_binh", "Phê bình", 2, []),
    ("khien_trach", "Khiển trách", 3, []),
    ("canh_cao", "Cảnh cáo", 4, []),
    ("tam_dung_hoat_dong", "Tạm dừng hoạt động", 4, []),
    ("ha_bac_luong", "Hạ bậc lương", 5, []),
    ("giang_chuc", "Giáng chức", 5, []),
    ("cach_chuc", "Cách chức", 6, []),
    ("dua_ra_khoi_danh_sach", "Đưa ra khỏi danh sách", 7, []),
    ("buoc_thoi_viec", "Buộc thôi việc", 8, []),
    ("khai_tru", "Khai trừ", 9, []),
    ("giai_tan", "Giải tán", 9, []),
]

RELIGIONS = ["Không", "Phật giáo", "Công giáo", "Tin lành", "Cao Đài", "Hòa Hảo", "Khác"]

# GSO codes known for the districts and for Huyện Đắk Hà's communes (dvhcvn, 01-03-2025).
GSO_CODES = {
    "Tỉnh Kon Tum": "62",
    "Thành phố Kon Tum": "608",
    "Huyện Đắk Glei": "610",
    "Huyện Ngọc Hồi": "611",
    "Huyện Đắk Tô": "612",
    "Huyện Kon Plông": "613",
    "Huyện Kon Rẫy": "614",
    "Huyện Đắk Hà": "615",
    "Huyện Sa Thầy": "616",
    "Huyện Tu Mơ Rông": "617",
    "Huyện Ia H'Drai": "618",
    ("Huyện Đắk Hà", "Thị trấn Đắk Hà"): "23500",
    ("Huyện Đắk Hà", "Xã Đắk Pxi"): "23503",
    ("Huyện Đắk Hà", "Xã Đắk Long"): "23504",
    ("Huyện Đắk Hà", "Xã Đắk Hring"): "23506",
    ("Huyện Đắk Hà", "Xã Đắk Ui"): "23509",
    ("Huyện Đắk Hà", "Xã Đắk Ngọk"): "23510",
    ("Huyện Đắk Hà", "Xã Đắk Mar"): "23512",
    ("Huyện Đắk Hà", "Xã Ngọk Wang"): "23515",
    ("Huyện Đắk Hà", "Xã Ngọk Réo"): "23518",
    ("Huyện Đắk Hà", "Xã Hà Mòn"): "23521",
    ("Huyện Đắk Hà", "Xã Đắk La"): "23524",
}
