"""incwo's value formats."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from dialects.incwo.fields import TIME_FORMAT, incwo_time

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2020, 12, 8, 17, 7, 4, tzinfo=UTC), "08-12-2020-18-07"),
        (datetime(2021, 7, 1, 22, 30, tzinfo=UTC), "02-07-2021-00-30"),
        # Paris kept its local mean time then (+00:09:21); strftime writes years before 1000 unpadded.
        (datetime(1000, 1, 1, 12, 0, tzinfo=UTC), "01-01-1000-12-09"),
        (datetime(999, 1, 1, 12, 0, tzinfo=UTC), "01-01-999-12-09"),
    ],
)
def test_a_time_is_written_as_its_time_format_in_the_zone(value, text):
    assert incwo_time(value, PARIS) == text == value.astimezone(PARIS).strftime(TIME_FORMAT)


def test_no_time_is_an_empty_string():
    assert incwo_time(None, PARIS) == ""
