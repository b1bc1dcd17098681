"""Ids from client text: ASCII digits in the database's range, or nothing."""

from __future__ import annotations

import pytest

from crm.ids import MAX_ID, parse_id
from projects.selectors import project_get


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7", 7),
        (" 42 ", 42),
        (12, 12),
        ("0", None),
        ("-3", None),
        ("²", None),
        ("٣", None),
        ("1e3", None),
        ("", None),
        (None, None),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
    ],
)
def test_parse_id_accepts_only_ascii_ids_in_range(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["²", "٣", str(2**64), "\x00"])
def test_project_get_answers_none_for_keys_that_are_no_id(key, project, alice):
    assert project_get(user=alice, key=key) is None


@pytest.mark.django_db
def test_contact_filter_by_project_takes_a_superscript_as_an_identifier(make_contact, alice):
    from contacts.selectors import contact_list

    make_contact()
    assert list(contact_list(user=alice, filters={"project": "²"})) == []
