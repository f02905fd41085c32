"""Demo data: the team's work, models (issue 14)."""
from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models import Person
    from registry.demo.records import Places


def seed(rng: random.Random, places: Places, people: list[Person], today: dt.date) -> None:
    """Nothing yet."""
