"""The import's too_long limits come from the model columns: the database catalogue reads them, so
a migration that widens a column widens the check, and every valid row can be stored (PostgreSQL
refuses a longer value and would fail the whole commit)."""
from __future__ import annotations

import sqlalchemy as sa

from models import Appointment, Person
from registry.importing.db_catalogue import catalogue_for, max_lengths
from registry.importing.match import PLAIN_FIELDS
from registry.roster.persons import name_keys
from tests.imports.builders import COLUMN_LIMITS


def test_limits_come_from_the_model_columns():
    person_cols = Person.__table__.c
    lengths = max_lengths()
    assert lengths["full_name"] == person_cols.full_name.type.length
    assert lengths["position"] == person_cols.position.type.length
    assert lengths["ethnicity"] == person_cols.ethnicity.type.length
    assert lengths["decision_no"] == Appointment.__table__.c.decision_no.type.length
    assert "notes" not in lengths  # a Text column takes any length


def test_the_database_catalogue_carries_them(session):
    assert dict(catalogue_for(session).max_lengths) == max_lengths()


def test_every_text_field_the_commit_writes_has_a_limit():
    """A field added to the commit's person fields without a limit here would fail on PostgreSQL."""
    for key in PLAIN_FIELDS + ("cccd",):
        column = Person.__table__.c[key]
        if (
            isinstance(column.type, sa.String)
            and not isinstance(column.type, sa.Enum)
            and column.type.length
        ):
            assert key in max_lengths(), key


def test_the_pure_tests_limit_the_same_fields():
    assert COLUMN_LIMITS.keys() == max_lengths().keys()


def test_the_worst_names_within_the_limit_fit_their_search_keys():
    """The name's limit is its column's; its search and sort keys have room for any name that
    passes it (the import counts the case-folded form, tests/imports/test_hostile_values.py)."""
    limit = max_lengths()["full_name"]
    cols = Person.__table__.c
    for name in ("Ạ" * limit, "Ạ " * (limit // 2), "9" * limit):
        for column, value in name_keys(name).items():
            assert len(value) <= cols[column].type.length, column
