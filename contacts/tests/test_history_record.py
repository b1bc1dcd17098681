"""The history API: channels, one entry per write, bulk entries, diffs."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from contacts.history import current_channel, history_channel, history_diff, history_record, history_record_many
from contacts.models import ContactChange


def test_changes_carry_the_channel_they_were_made_in(alice: Any, make_contact: Any) -> None:
    contact = make_contact(first_name="Ada")

    outside = history_record(contact=contact, user=alice, action="created", changes={"First name": [None, "Ada"]})
    with history_channel("redmine"):
        inside = history_record(contact=contact, user=alice, action="updated", changes={"Job title": ["", "CTO"]})
        assert current_channel() == "redmine"

    assert (outside.channel, inside.channel) == ("system", "redmine")
    assert current_channel() == "system"
    assert inside.changes == {"Job title": ["", "CTO"]}
    assert inside.user == alice


def test_an_update_that_changed_nothing_is_not_recorded(alice: Any, make_contact: Any) -> None:
    contact = make_contact(first_name="Ada")

    assert history_record(contact=contact, user=alice, action="updated", changes={}) is None
    history_record_many(contact_ids=[contact.pk], user=alice, action="updated", changes={})

    assert not ContactChange.objects.filter(contact=contact).exists()


def test_bulk_entries_are_one_insert(alice: Any, make_contact: Any, django_assert_num_queries: Any) -> None:
    ids = [make_contact(first_name=f"P{n}").pk for n in range(30)]

    with history_channel("import"), django_assert_num_queries(1):
        history_record_many(contact_ids=ids, user=alice, action="imported")

    assert ContactChange.objects.filter(channel="import", action="imported").count() == 30


def test_an_anonymous_change_has_no_user(make_contact: Any) -> None:
    contact = make_contact(first_name="Ada")

    with history_channel("webform"):
        entry = history_record(contact=contact, user=AnonymousUser(), action="created")

    assert (entry.user, entry.channel) == (None, "webform")


def test_an_unknown_channel_or_action_is_a_programming_error(alice: Any, make_contact: Any) -> None:
    contact = make_contact(first_name="Ada")

    with pytest.raises(ValueError), history_channel("fax"):
        pass
    with pytest.raises(ValueError):
        history_record(contact=contact, user=alice, action="renamed")


def test_a_diff_names_only_what_changed() -> None:
    before = {"First name": "Ada", "Tags": "a, b", "Job title": ""}
    after = {"First name": "Ada", "Tags": "a, b, c", "Job title": "CTO"}

    assert history_diff(before=before, after=after) == {"Tags": ["a, b", "a, b, c"], "Job title": ["", "CTO"]}
