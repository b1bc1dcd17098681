"""The import row of the benchmark takes out what it imported and nothing else."""

from __future__ import annotations

import pytest
from django.db import connection

from bench.files import _delete_contacts_after
from contacts.models import Contact, ContactChange, ContactItem
from contacts.search import SEARCH_TABLE, search_q

pytestmark = pytest.mark.django_db


def test_the_contacts_after_an_id_go_with_their_rows_and_documents_and_the_others_stay():
    kept = Contact.objects.create(first_name="Grace", last_name="Hopper")
    ContactItem.objects.create(contact=kept, kind="email", value="grace@navy.example")
    company = Contact.objects.create(is_company=True, name="Bench Co")
    person = Contact.objects.create(first_name="Ada", last_name="Lovelace", company=company)
    ContactItem.objects.create(contact=person, kind="tel", value="+1 202 555 0143")
    person.tags.add("vip")
    ContactChange.objects.create(contact=person, action="imported")

    _delete_contacts_after(kept.pk)

    assert list(Contact.objects.values_list("pk", flat=True)) == [kept.pk]
    assert list(ContactItem.objects.values_list("contact_id", flat=True)) == [kept.pk]
    assert not ContactChange.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {SEARCH_TABLE}")
        assert [row[0] for row in cursor.fetchall()] == [kept.pk]
    assert list(Contact.objects.filter(search_q("navy"))) == [kept]
