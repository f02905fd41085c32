"""Báo cáo sơ kết, tổng kết: every figure from a small hand-built world, per unit and in total,
the previous period of the same length, the scope of a commune officer and the query count."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from models import (
    Appointment,
    CourseKind,
    DeliveryForm,
    EndReason,
    EvaluationRating,
    Level,
    Role,
    TrainingResult,
    db,
)
from registry.core import access
from registry.reports import period
from registry.reports.period_xlsx import period_words

D = dt.date
H1 = (D(2026, 1, 1), D(2026, 6, 30))


def _bcv(make, name, unit, **kw):
    return make.person(name, unit, role=Role.BCV, level=Level.HUYEN, **kw)


@pytest.fixture
def work(make, ctx):
    """Đắk Hà (a TTV in Xã Đắk Hring, a BCV at the district) and Đắk Tô (a BCV), with one record
    of each kind in the first half of 2026 and a few in the half before."""
    ttv = make.person("Y Hring", "Xã Đắk Hring", start=D(2026, 2, 1))
    ha = _bcv(make, "A Hà", "Huyện Đắk Hà", start=D(2020, 1, 1))
    to = _bcv(make, "A Tô", "Huyện Đắk Tô", start=D(2020, 1, 1))
    gone = make.person("Lê Thôi", "Xã Đắk La", start=D(2020, 1, 1), end=D(2026, 3, 31))
    gone.appointments[0].end_reason = EndReason.MIEN_NHIEM
    # training: a course of Đắk Hà ended in the period, both BCV came, one completed
    course = make.course("Huyện Đắk Hà", start=D(2026, 3, 1))
    make.attend(ha, course)
    make.attend(to, course, result=TrainingResult.KHONG_HOAN_THANH)
    make.course("Huyện Đắk Hà", start=D(2026, 3, 2), kind=CourseKind.HOI_NGHI_BCV)  # not training
    # conferences: the province's (both BCV expected; A Hà came), Đắk Tô's (A Tô expected, came)
    conf = make.conference("Tỉnh Kon Tum", D(2026, 4, 10))
    make.point(conf, "Huyện Đắk Hà", participants=40)
    make.point(conf, "Huyện Đắk Tô", participants=25)
    make.attend_conference(ha, conf)
    make.attend_conference(to, make.conference("Huyện Đắk Tô", D(2026, 5, 5)))
    make.attend_conference(ttv, make.conference("Huyện Đắk Tô", D(2025, 9, 9)))  # before
    # documents: one of Đắk Hà sent to both BCV, received by A Hà
    doc = make.document("Huyện Đắk Hà", issued_on=D(2026, 1, 20))
    make.distribute(doc, ha, sent_on=D(2026, 1, 21), received_on=D(2026, 1, 22))
    make.distribute(doc, to, sent_on=D(2026, 1, 21))
    # sessions: one shared by two presenters (counts once, audience the larger), one online
    make.activity(ha, D(2026, 2, 2), session_key="s1", audience=80)
    make.activity(ttv, D(2026, 2, 2), session_key="s1", audience=100,
                  unit=ha.appointments[0].unit)
    make.activity(to, D(2026, 6, 1), form=DeliveryForm.TRUC_TUYEN, audience=300)
    make.activity(to, D(2025, 12, 1), audience=50)  # the previous period
    # channels: latest count by the end, posts in the period
    channel = make.channel("Huyện Đắk Tô")
    make.channel_count(channel, 100, D(2026, 1, 1))
    make.channel_count(channel, 150, D(2026, 6, 1))
    make.channel_count(channel, 999, D(2026, 7, 1))
    make.channel_post(channel, D(2026, 3, 3), posts=4, reach=500)
    make.channel("Huyện Đắk Tô", name="Nhóm cũ", active=False)
    # models, commendations, discipline, evaluations
    make.exemplary("Xã Đắk Hring", [ttv], year=2026)
    make.exemplary("Xã Đắk Hring", [ttv], year=2025)
    make.commendation(ha, year=2026, decision_date=D(2026, 5, 1))
    make.commendation(to, year=2026)
    make.discipline(to, start=D(2026, 2, 1))
    make.evaluation(ha, 2026, EvaluationRating.XUAT_SAC)
    make.evaluation(to, 2026, EvaluationRating.KHONG_HOAN_THANH)
    make.evaluation(to, 2025, EvaluationRating.TOT)
    ctx.commit()
    return {"ttv": ttv, "ha": ha, "to": to}


def _row(report, label):
    return next(r.counts for r in report.current.rows if r.label == label)


def test_every_figure_per_unit_and_in_total(ctx, make, work):
    report = period.build(make.unit("Tỉnh Kon Tum"), *H1)
    ha, to, total = _row(report, "Huyện Đắk Hà"), _row(report, "Huyện Đắk Tô"), \
        report.current.total
    assert (ha["people"], ha["ttv"], ha["bcv"], to["bcv"], total["people"]) == (2, 1, 1, 1, 3)
    assert (ha["added"], total["added"], ha["removed"], ha["removed:mien_nhiem"]) == (1, 1, 1, 1)
    assert (ha["courses"], total["trainees"], total["completed"]) == (1, 2, 1)
    assert (total["conferences"], to["conferences"], ha["points"], ha["participants"]) \
        == (2, 1, 1, 40)
    assert (total["points"], total["participants"]) == (2, 65)
    # expected: A Hà and A Tô at the province's, A Tô at Đắk Tô's; A Tô missed the province's
    assert (total["conf_expected"], total["conf_attended"], total["conf_missed"]) == (3, 2, 1)
    assert (to["conf_expected"], to["conf_missed"]) == (2, 1)
    assert period.value(total, _fig("conf_rate")) == pytest.approx(66.7)
    assert (ha["documents"], total["distributions"], total["received"]) == (1, 2, 1)
    assert period.value(total, _fig("received_rate")) == 50.0
    assert (ha["sessions"], ha["audience"], ha["sessions:truc_tiep"]) == (1, 100, 1)
    assert (to["sessions:truc_tuyen"], to["audience:truc_tuyen"], total["sessions"]) \
        == (1, 300, 2)
    assert (to["channels"], to["members"], to["posts"], to["reach"]) == (1, 150, 4, 500)
    assert (ha["exemplary"], total["commended"], to["disciplined"]) == (1, 2, 1)
    assert (ha["eval:xuat_sac"], to["eval:khong_hoan_thanh"], total["eval:tot"]) == (1, 1, 0)
    # the previous period (01/07–31/12/2025): what happened then
    assert (report.prev_start, report.prev_end) == (D(2025, 7, 1), D(2025, 12, 31))
    before = report.previous.total
    assert (before["sessions"], before["audience"], before["conf_attended"]) == (1, 50, 1)
    assert (before["people"], before["exemplary"], before["eval:tot"]) == (3, 1, 1)
    lines = dict(report.lines())
    sessions = next(x for x in lines["VI. Tuyên truyền miệng"] if x[0].key == "sessions")
    assert sessions[1:] == (2, 1) and period.change(2, 1) == (1, 100.0)


def _fig(key):
    return next(f for f in period.FIGURES if f.key == key)


def test_previous_period_and_wording():
    assert period.previous_period(*H1) == (D(2025, 7, 1), D(2025, 12, 31))
    assert period.previous_period(D(2026, 1, 1), D(2026, 12, 31)) == (D(2025, 1, 1),
                                                                      D(2025, 12, 31))
    assert period.previous_period(D(2026, 3, 1), D(2026, 5, 31)) == (D(2025, 12, 1),
                                                                     D(2026, 2, 28))
    # not whole months: the same number of days just before
    assert period.previous_period(D(2026, 1, 10), D(2026, 1, 19)) == (D(2025, 12, 31),
                                                                      D(2026, 1, 9))
    assert period.change(5, 0) == (5, None) and period.change(3, 4) == (-1, -25.0)
    assert period.change(3, None) == (None, None)
    assert (period.shown(1234), period.shown(66.7), period.signed(-1.5)) \
        == ("1.234", "66,7", "−1,5")
    assert period_words(*H1) == "6 tháng đầu năm 2026"
    assert period_words(D(2025, 1, 1), D(2025, 12, 31)) == "năm 2025"
    assert period_words(D(2025, 3, 1), D(2025, 3, 31)) == "từ ngày 01/03/2025 đến ngày 31/03/2025"
    with pytest.raises(Exception, match="không được trước"):
        period.check_period(D(2026, 2, 1), D(2026, 1, 1))
    with pytest.raises(Exception, match="tối đa"):
        period.check_period(D(2000, 1, 1), D(2026, 1, 1))


def test_a_commune_officer_counts_only_their_commune(ctx, make, work):
    hring = make.unit("Xã Đắk Hring")
    with access.scoped(access.scope_for_unit(hring)):
        report = period.build(hring, *H1)
    total = report.current.total
    assert (total["people"], total["ttv"], total["bcv"]) == (1, 1, 0)
    assert total["exemplary"] == 1 and total["sessions"] == 0  # the session is Đắk Hà's
    assert total["conf_attended"] == 0 and total["distributions"] == 0
    with access.scoped(access.scope_for_unit(make.unit("Huyện Đắk Tô"))):
        report = period.build(make.unit("Huyện Đắk Tô"), *H1)
    total = report.current.total
    assert (total["bcv"], total["conf_expected"], total["conf_missed"], total["members"]) \
        == (1, 2, 1, 150)
    assert total["documents"] == 0 and total["distributions"] == 1  # sent to A Tô


def test_query_count_does_not_grow_with_units_or_people(ctx, make, work):
    province = make.unit("Tỉnh Kon Tum")
    first = _count(lambda: period.build(province, *H1))
    for name in ("Huyện Sa Thầy", "Huyện Ngọc Hồi", "Huyện Kon Plông"):
        person = _bcv(make, f"BCV {name}", name, start=D(2020, 1, 1))
        make.activity(person, D(2026, 3, 3), audience=10)
        make.evaluation(person, 2026)
    ctx.expire_all()
    assert _count(lambda: period.build(province, *H1)) == first


def _count(run) -> int:
    seen: list[int] = []

    def listener(*_args):
        seen.append(1)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        run()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def test_appointment_rows_move_with_the_person(ctx, make, work):
    """A person's records follow their appointment at the period's end, not their first."""
    to = work["to"]
    to.appointments[0].end_date = D(2026, 5, 31)
    ctx.add(Appointment(person=to, role=Role.BCV, level=Level.HUYEN,
                        unit=make.unit("Huyện Đắk Hà"), unit_name_snapshot="Huyện Đắk Hà",
                        start_date=D(2026, 6, 1)))
    ctx.commit()
    report = period.build(make.unit("Tỉnh Kon Tum"), *H1)
    assert _row(report, "Huyện Đắk Hà")["disciplined"] == 1
    assert _row(report, "Huyện Đắk Tô")["disciplined"] == 0
    assert _row(report, "Huyện Đắk Tô")["sessions"] == 1  # a session stays with its unit
