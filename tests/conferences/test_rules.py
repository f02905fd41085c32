"""The conference rules without HTTP: who was expected and who missed, who may be recorded at a
point (all or nothing), one point per unit."""
import datetime as dt

import pytest

from models import Appointment, ConferenceAttendance, DeliveryForm, Level, Role
from registry.conferences import rules
from registry.conferences import service as svc
from registry.core.rules import RuleViolation
from tests.factories import count

D = dt.date
SINCE = D(2024, 1, 1)
DAKHA, HRING, DAKLA, SATHAY = "Huyện Đắk Hà", "Xã Đắk Hring", "Xã Đắk La", "Huyện Sa Thầy"


def _bcv(make, name, unit, start=SINCE, end=None):
    return make.person(name, unit, role=Role.BCV, level=Level.HUYEN, start=start, end=end)


def test_missed_counts_expected_minus_attended(make, ctx):
    province = make.conference("Tỉnh Kon Tum", D(2026, 3, 10), topic="Tháng 3")
    district = make.conference(DAKHA, D(2026, 5, 10), topic="Đắk Hà tháng 5",
                               level=province.level)
    make.conference("Tỉnh Kon Tum", D(2025, 12, 10), topic="Năm trước")
    sub = _bcv(make, "A Cấp Xã", HRING)                       # below both organisers
    late = _bcv(make, "B Bổ Nhiệm Muộn", DAKHA, start=D(2026, 4, 1))  # after the province's
    other = _bcv(make, "C Nhánh Khác", SATHAY)                 # another branch: province only
    gone = _bcv(make, "D Đã Thôi", DAKHA, end=D(2026, 2, 28))  # ended before both
    make.person("E Tuyên Truyền", DAKHA)                       # a TTV: not listed
    twice = _bcv(make, "G Hai Vai", DAKHA)
    ctx.add(Appointment(person=twice, role=Role.BCV, level=Level.TINH, unit=province.unit,
                        unit_name_snapshot="Tỉnh Kon Tum", start_date=D(2025, 1, 1)))
    ctx.commit()
    make.attend_conference(sub, province)
    make.attend_conference(other, district)  # attended, though not expected there
    make.attend_conference(twice, province)
    make.attend_conference(twice, district)

    got = {t.person.full_name: (t.expected, t.attended, t.missed)
           for t in rules.yearly_tally(2026)}
    assert got == {"A Cấp Xã": (2, 1, 1), "B Bổ Nhiệm Muộn": (1, 0, 1),
                   "C Nhánh Khác": (1, 1, 1), "D Đã Thôi": (0, 0, 0), "G Hai Vai": (2, 2, 0)}
    rows = rules.yearly_tally(2026)
    assert [t.missed for t in rows] == sorted((t.missed for t in rows), reverse=True)
    in_dakha = {t.person.full_name for t in rules.yearly_tally(2026, make.unit(DAKHA))}
    assert in_dakha == {"A Cấp Xã", "B Bổ Nhiệm Muộn", "D Đã Thôi", "G Hai Vai"}
    assert rules.missed_this_year(late, D(2026, 12, 1)).missed == 1
    assert rules.missed_this_year(gone, D(2027, 1, 5)) is None  # not a BCV in 2027


def test_attendance_only_of_active_bcv_of_the_point_subtree(make, ctx):
    conf = make.conference("Tỉnh Kon Tum", D(2026, 10, 15))
    point = make.point(conf, HRING)
    here = _bcv(make, "A Ở Xã", HRING)
    district = _bcv(make, "B Ở Huyện", DAKHA)           # above the point, not below it
    neighbour = _bcv(make, "C Xã Bên", DAKLA)
    future = _bcv(make, "D Chưa Nhận", HRING, start=D(2026, 11, 1))
    ttv = make.person("E Tuyên Truyền", HRING)
    eligible = {p.full_name for p in ctx.execute(rules.eligible_people(point)).scalars()}
    assert eligible == {"A Ở Xã"}
    for wrong in (district, neighbour, future, ttv):
        with pytest.raises(RuleViolation, match="không phải báo cáo viên đang hoạt động"):
            svc.record_attendance(point, [here, wrong])
        ctx.rollback()
    assert count(ConferenceAttendance) == 0  # all or nothing
    assert svc.record_attendance(point, [here]) == 1
    ctx.commit()
    with pytest.raises(RuleViolation, match="đã được ghi dự hội nghị này"):
        svc.record_attendance(make.point(conf, DAKHA), [here])
    ctx.rollback()
    later = make.point(make.conference("Tỉnh Kon Tum", D(2027, 1, 5)), HRING)
    with pytest.raises(RuleViolation, match="chưa diễn ra"):
        svc.record_attendance(later, [here], today=D(2026, 12, 7))


def test_one_point_per_unit_within_the_organiser_subtree(make, ctx):
    conf = make.conference(DAKHA, D(2026, 10, 15), form=DeliveryForm.TRUC_TIEP)
    svc.add_point(conf, make.unit(HRING), {"place": "Hội trường xã", "participants": 40})
    ctx.commit()
    with pytest.raises(RuleViolation, match="mỗi đơn vị chỉ một điểm cầu"):
        svc.add_point(conf, make.unit(HRING), {"place": "Nơi khác"})
    ctx.rollback()
    with pytest.raises(RuleViolation, match="cấp dưới của đơn vị tổ chức"):
        svc.add_point(conf, make.unit(SATHAY), {})
    ctx.rollback()
    assert not svc.too_many_points(conf)
    svc.add_point(conf, make.unit(DAKLA), {})
    assert svc.too_many_points(conf)  # a trực tiếp conference with two points: a warning only
    ctx.commit()
    with pytest.raises(RuleViolation, match="không thuộc Xã Đắk La"):
        svc.update_conference(conf, {}, make.unit(DAKLA))
    ctx.rollback()
