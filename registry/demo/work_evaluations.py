"""Demo data: the team's work, evaluations (issue 14): ratings of the last two years for most of
the people serving then, and two people rated "không hoàn thành" both years, whom the removal
rule (and its ready-made list) then names."""
from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from models import Evaluation, EvaluationRating, db

if TYPE_CHECKING:
    from models import Person
    from registry.demo.records import Places

# Mostly "tốt" and "hoàn thành", a few "xuất sắc"; "không hoàn thành" only where chosen.
WEIGHTS = ((EvaluationRating.XUAT_SAC, 7), (EvaluationRating.TOT, 52),
           (EvaluationRating.HOAN_THANH, 41))
FAILING = 2


def _served(person: Person, year: int) -> bool:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return any(a.start_date <= end and (a.end_date is None or a.end_date >= start)
               for a in person.appointments)


def seed(rng: random.Random, places: Places, people: list[Person], today: dt.date) -> None:
    years = [today.year - 2, today.year - 1]
    steady = [p for p in people if all(_served(p, y) for y in years)
              and p.active_appointments(today)]
    failing = {p.id for p in rng.sample(steady, min(FAILING, len(steady)))}
    ratings, weights = zip(*WEIGHTS, strict=True)
    for year in years:
        for person in people:
            if person.id in failing:
                rating = EvaluationRating.KHONG_HOAN_THANH
            elif _served(person, year) and rng.random() < 0.85:
                rating = rng.choices(ratings, weights)[0]
            else:
                continue
            note = ("Không tham gia buổi báo cáo nào trong năm."
                    if rating is EvaluationRating.KHONG_HOAN_THANH else None)
            db.session.add(Evaluation(person=person, year=year, rating=rating, note=note))
    db.session.flush()
