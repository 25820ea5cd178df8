"""The form pass compares the rows a submission wrote on each side; a duration the call measured
on its own clock (django-sql-explorer's `QueryLog.duration`, `time() - start_time` around the
query it runs) is never the same twice, so such a column is compared by whether it holds a
measurement, not by its value."""

from __future__ import annotations

import datetime

from django.db import models

from codemods.django.verify_rows import MEASURED, Moment, _value, measured

MOMENT = Moment(datetime.datetime(2026, 1, 1), datetime.datetime(2026, 1, 1))


def field(klass: type[models.Field], name: str) -> models.Field:
    made = klass()
    made.set_attributes_from_name(name)
    return made


def test_a_float_column_named_duration_is_a_measurement() -> None:
    assert measured(field(models.FloatField, "duration"))


def test_a_column_named_for_a_duration_with_its_unit_is_a_measurement() -> None:
    assert measured(field(models.IntegerField, "duration_ms"))
    assert measured(field(models.DurationField, "elapsed"))
    assert measured(field(models.PositiveIntegerField, "run_duration"))


def test_a_text_column_named_duration_is_compared_as_written() -> None:
    assert not measured(field(models.CharField, "duration"))


def test_a_number_column_named_otherwise_is_compared_as_written() -> None:
    assert not measured(field(models.FloatField, "price"))
    assert not measured(field(models.IntegerField, "durations_count"))


def test_two_measurements_read_alike() -> None:
    assert _value(0.1509, "measured", "explorer_querylog", MOMENT) == MEASURED
    assert _value(0.1249, "measured", "explorer_querylog", MOMENT) == MEASURED


def test_no_measurement_differs_from_one() -> None:
    assert _value(None, "measured", "explorer_querylog", MOMENT) is None


def test_a_negative_duration_is_kept_as_written() -> None:
    assert _value(-1.0, "measured", "explorer_querylog", MOMENT) == -1.0
