"""The demo's team work (issue 14): each kind seeded by its own module, in the order the report
reads them. Every function takes the same arguments as records.seed's parts."""
from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from registry.demo import (
    work_channels,
    work_conferences,
    work_documents,
    work_evaluations,
    work_models,
)

if TYPE_CHECKING:
    from models import Person
    from registry.demo.records import Places


def seed(rng: random.Random, places: Places, people: list[Person], today: dt.date) -> None:
    for part in (work_documents, work_conferences, work_channels, work_models,
                 work_evaluations):
        part.seed(rng, places, people, today)
