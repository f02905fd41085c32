"""The arithmetic of the activity totals, without the database."""
import datetime as dt

from models import DeliveryForm
from registry.records.activity_group import split_line
from registry.records.activity_totals import Row, top_topics, totals

D = dt.date
MARCH = D(2026, 3, 5)
DIRECT, ONLINE = DeliveryForm.TRUC_TIEP, DeliveryForm.TRUC_TUYEN


def _row(i, *, key=None, day=MARCH, topic="Nghị quyết", form=DIRECT, audience=50,
         unit=1, person=None):
    return Row(i, person or i, key, day, topic, form, audience, unit)


def test_a_shared_session_counts_once_with_its_largest_audience():
    rows = [
        _row(1, key="k", audience=80, unit=2), _row(2, key="k", audience=100, unit=2),
        _row(3, key="k", audience=None, unit=2),  # three presenters, one session
        _row(4, day=D(2026, 4, 1), topic="nghi quyet ", form=ONLINE, audience=None, unit=3),
        _row(5, day=D(2026, 2, 9), topic="Biển đảo", audience=30, unit=9),
    ]
    labels = {1: "Huyện A (trực tiếp)", 2: "Xã B", 3: "Xã C"}
    t = totals(rows, lambda uid: labels.get(uid, "Đơn vị khác"),
               ["Huyện A (trực tiếp)", "Xã B", "Xã C", "Xã D"])
    assert (t.sessions, t.audience, t.presenters) == (3, 130, 5)
    assert [(b.label, b.sessions, b.audience) for b in t.by_form] == [
        ("Trực tiếp", 2, 130), ("Trực tuyến", 1, 0)]
    # Topics are grouped case and diacritics aside, under the first spelling seen.
    assert [(b.label, b.sessions, b.audience) for b in t.by_topic] == [
        ("Nghị quyết", 2, 100), ("Biển đảo", 1, 30)]
    assert [(b.label, b.sessions) for b in t.by_unit] == [
        ("Huyện A (trực tiếp)", 0), ("Xã B", 1), ("Xã C", 1), ("Xã D", 0), ("Đơn vị khác", 1)]
    assert [(b.label, b.sessions, b.audience) for b in t.by_month] == [
        ("02/2026", 1, 30), ("03/2026", 1, 100), ("04/2026", 1, 0)]
    empty = totals([], str)
    assert (empty.sessions, empty.audience, empty.by_topic, empty.by_month) == (0, 0, [], [])


def test_ten_topics_then_the_others_together():
    rows = [_row(i, topic=f"Chủ đề {i:02d}", audience=10) for i in range(1, 13)]
    rows += [_row(100 + i, topic="Chủ đề 12", audience=10) for i in range(3)]
    t = totals(rows, str)
    assert len(t.by_topic) == 11 and t.by_topic[0].label == "Chủ đề 12"
    assert t.by_topic[0].sessions == 4
    assert (t.by_topic[-1].label, t.by_topic[-1].sessions, t.by_topic[-1].audience) == (
        "Các chủ đề khác (2 chủ đề)", 2, 20)
    assert sum(b.sessions for b in t.by_topic) == t.sessions == 15
    assert top_topics([]) == []


def test_presenter_lines_name_a_unit_to_tell_namesakes_apart():
    assert split_line("  Nguyễn  Văn A ") == ("Nguyễn Văn A", "")
    assert split_line("Nguyễn Văn A (Xã Đắk La)") == ("Nguyễn Văn A", "Xã Đắk La")
    assert split_line("Y Blô - Hà Mòn") == ("Y Blô", "Hà Mòn")
    assert split_line("Y Blô – Hà Mòn") == ("Y Blô", "Hà Mòn")
    assert split_line("Kpă H'Bil") == ("Kpă H'Bil", "")
