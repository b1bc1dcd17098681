"""Firms: the proxy, the list with visible people counts, merging."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from contacts.models import Contact
from firms.models import Firm
from firms.selectors import firm_list
from firms.services import firm_merge

pytestmark = pytest.mark.django_db


def test_firm_proxy_lists_only_companies_and_saves_as_company(make_contact):
    make_contact(first_name="Person")
    acme = make_contact(is_company=True, name="Acme")
    assert list(Firm.objects.all()) == [acme]
    firm = Firm(name="Globex")
    firm.save()
    assert Contact.objects.get(pk=firm.pk).is_company


def test_firm_list_counts_only_people_the_user_may_see(make_contact, outsider):
    acme = make_contact(is_company=True, name="Acme", projects=[])
    make_contact(first_name="Seen", company=acme, projects=[])
    make_contact(first_name="Hidden", company=acme, visibility="private")
    firms = {f.name: f.people_count for f in firm_list(user=outsider)}
    assert firms == {"Acme": 1}


def test_merge_moves_people_items_notes_and_tags(make_contact, alice):
    a = make_contact(is_company=True, name="Acme", items=[{"kind": "url", "value": "https://acme.example"}], tags=["x"])
    b = make_contact(is_company=True, name="Acme Inc", items=[{"kind": "url", "value": "https://acme.example"}])
    person = make_contact(first_name="P", company=a)
    firm_merge(source=a, target=b, user=alice)
    person.refresh_from_db()
    assert person.company == b
    assert list(b.items.values_list("value", flat=True)) == ["https://acme.example"]
    assert list(b.tags.names()) == ["x"]
    assert Contact.objects.get(pk=a.pk).deleted_at is not None  # merged away: in the trash


def test_merge_refuses_persons(make_contact, alice):
    person = make_contact()
    company = make_contact(is_company=True, name="Acme")
    with pytest.raises(ValidationError):
        firm_merge(source=person, target=company, user=alice)
