"""The ready-made lists offices ask for, beside the saved criteria: each evaluated with the
eligibility function's helpers, for the actor's scope, a unit's subtree and a date."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models import Role, UnitKind
from registry.eligibility import rules as eligibility
from registry.lists.qualification import (
    Criteria,
    Entry,
    Outcome,
    candidates,
    evaluate,
    with_ratings,
)
from registry.units import service as units

TRAINING_MONTHS = 12
REMOVAL = "de-nghi-dua-ra-khoi-danh-sach"


@dataclass(frozen=True)
class Preset:
    slug: str
    title: str
    summary: str
    kind: str = "persons"  # or "units"


PRESETS = {p.slug: p for p in (
    Preset("bcv-du-tieu-chuan", "Báo cáo viên đủ tiêu chuẩn",
           "Báo cáo viên đang hoạt động đạt mọi tiêu chuẩn của thiết lập (lý luận chính trị, "
           "chuyên môn, đảng viên, bồi dưỡng, kỷ luật), kèm lý do của người chưa đạt."),
    Preset("ttv-chua-boi-duong",
           f"Tuyên truyền viên chưa qua bồi dưỡng trong {TRAINING_MONTHS} tháng",
           f"Tuyên truyền viên đang hoạt động chưa hoàn thành khóa bồi dưỡng, tập huấn nào "
           f"(loại được tính theo thiết lập) trong {TRAINING_MONTHS} tháng."),
    Preset("dang-ky-luat", "Đang trong thời hạn kỷ luật",
           "BCV, TTV đang hoạt động có hình thức kỷ luật còn hiệu lực vào ngày xem "
           "(mọi hình thức)."),
    Preset("de-nghi-dua-ra-khoi-danh-sach",
           "Đề nghị đưa ra khỏi danh sách (không hoàn thành nhiệm vụ nhiều năm liền)",
           "BCV, TTV đang hoạt động bị xếp loại «Không hoàn thành nhiệm vụ» trong số năm liền "
           "theo thiết lập, tính đến năm đã đánh giá gần nhất."),
    Preset("don-vi-chua-co-ttv", "Đơn vị chưa có tuyên truyền viên",
           "Xã, phường, thị trấn (và thôn) đang có hiệu lực chưa có tuyên truyền viên nào đang "
           "hoạt động.", kind="units"),
)}


@dataclass
class UnitsOutcome:
    title: str
    day: dt.date
    lines: list[str]
    rows: list  # registry.units.service.UnitRow


def run(slug: str, unit_id: int | None, day: dt.date, unit_name: str | None = None):
    preset = PRESETS[slug]
    where = [f"Thuộc {unit_name}"] if unit_name else []
    if slug == "bcv-du-tieu-chuan":
        return evaluate(Criteria(role=Role.BCV, unit_id=unit_id, active_on=day), preset.title,
                        unit_name=unit_name)
    if slug == "ttv-chua-boi-duong":
        return _untrained(preset, unit_id, day, where)
    if slug == "dang-ky-luat":
        return _disciplined(preset, unit_id, day, where)
    if slug == REMOVAL:
        return _failing(preset, unit_id, day, where)
    return _units_without_ttv(preset, unit_id, day, where)


def _untrained(preset: Preset, unit_id: int | None, day: dt.date, where: list[str]) -> Outcome:
    people = candidates(Role.TTV, None, unit_id, day)
    ids = [p.id for p in people]
    trained = eligibility.trained_ids(ids, day, TRAINING_MONTHS)
    overdue = {pid for pid in ids if pid not in trained}
    last = eligibility.last_trainings(ids, day)
    entries = []
    for p in people:
        seen = last.get(p.id)
        if p.id in overdue:
            why = (f"Lần bồi dưỡng gần nhất kết thúc ngày {seen:%d/%m/%Y}." if seen
                   else "Chưa hoàn thành khóa bồi dưỡng, tập huấn nào.")
        else:
            why = f"Đã hoàn thành khóa bồi dưỡng kết thúc ngày {seen:%d/%m/%Y}."
        entries.append(Entry(p, p.id in overdue, [why]))
    kinds = ", ".join(k.label.lower() for k in eligibility.Rules.load().course_kinds)
    line = (f"Tuyên truyền viên đang hoạt động chưa hoàn thành khóa học nào trong "
            f"{TRAINING_MONTHS} tháng; loại khóa học được tính: {kinds or 'không có'} "
            "(theo thiết lập).")
    return with_ratings(Outcome(preset.title, day, where + [line], entries, Role.TTV,
                                in_label="Chưa qua bồi dưỡng", out_label="Đã qua bồi dưỡng"))


def _disciplined(preset: Preset, unit_id: int | None, day: dt.date, where: list[str]) -> Outcome:
    people = candidates(None, None, unit_id, day)
    rules = eligibility.Rules.load()
    facts = eligibility.gather(people, day, rules)
    entries = []
    for p in people:
        texts = [eligibility.discipline_text(d, rules) for d in facts[p.id].disciplines]
        entries.append(Entry(p, bool(texts),
                             texts or ["Không có hình thức kỷ luật nào đang trong thời hạn."]))
    return with_ratings(Outcome(preset.title, day, where + [preset.summary], entries,
                                in_label="Đang trong thời hạn kỷ luật",
                                out_label="Không bị kỷ luật", outs_in_file=False))


def _failing(preset: Preset, unit_id: int | None, day: dt.date, where: list[str]) -> Outcome:
    """Who the removal rule of the yearly evaluation names (registry.eligibility.rules)."""
    rules = eligibility.Rules.load()
    n = rules.fail_years
    title = (f"Đề nghị đưa ra khỏi danh sách (không hoàn thành nhiệm vụ {n} năm liền)" if n
             else preset.title)
    if not n:
        return Outcome(title, day, where + ["Thiết lập hiện không xét quy tắc này (số năm = 0)."],
                       [], in_label="Đề nghị đưa ra khỏi danh sách", outs_in_file=False)
    people = candidates(None, None, unit_id, day)
    facts = eligibility.gather(people, day, rules)
    entries = []
    for p in people:
        years = eligibility.failed_run(facts[p.id].ratings, day, n)
        why = (f"Không hoàn thành nhiệm vụ {n} năm liền ({', '.join(map(str, years))})."
               if years else "Không thuộc diện đề nghị.")
        entries.append(Entry(p, bool(years), [why]))
    line = (f"BCV, TTV đang hoạt động bị xếp loại «Không hoàn thành nhiệm vụ» {n} năm liền "
            "(số năm theo thiết lập), tính đến năm đã đánh giá gần nhất.")
    return with_ratings(Outcome(title, day, where + [line], entries,
                                in_label="Đề nghị đưa ra khỏi danh sách",
                                out_label="Không thuộc diện đề nghị", outs_in_file=False))


def _units_without_ttv(preset: Preset, unit_id: int | None, day: dt.date,
                       where: list[str]) -> UnitsOutcome:
    rows = [r for r in units.tree_rows(day) if r.lacks_ttv]
    if unit_id is not None:
        rows = [r for r in rows if r.unit.id == unit_id or f"/{unit_id}/" in r.unit.path]
    rows = [r for r in rows if r.unit.kind in (UnitKind.XA, UnitKind.THON)]
    return UnitsOutcome(preset.title, day, where + [preset.summary], rows)
