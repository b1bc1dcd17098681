"""The firm pages: list with search, firm page with its people and items, merging."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contacts.models import Contact

pytestmark = pytest.mark.django_db
LIST = reverse("firms:firm-list")


def test_firm_list_shows_visible_companies_with_people_counts(make_contact, client, outsider):
    acme = make_contact(is_company=True, name="Acme", projects=[])
    make_contact(first_name="Seen", company=acme, projects=[])
    make_contact(is_company=True, name="Hidden Corp", visibility="private")
    make_contact(first_name="Person", projects=[])
    client.force_login(outsider)
    response = client.get(LIST)
    assert [(f.name, f.people_count) for f in response.context["page"].object_list] == [("Acme", 1)]


def test_firm_search_narrows_the_list_and_htmx_gets_the_fragment(make_contact, client, alice):
    make_contact(is_company=True, name="Acme")
    make_contact(is_company=True, name="Globex")
    client.force_login(alice)
    response = client.get(LIST, {"q": "glob"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Globex" in html and "Acme" not in html
    assert "<html" not in html


def test_firm_page_shows_people_and_items(make_contact, client, alice):
    acme = make_contact(is_company=True, name="Acme", items=[{"kind": "email", "value": "hello@acme.example"}])
    make_contact(first_name="Wile", job_title="Genius", company=acme)
    client.force_login(alice)
    html = client.get(reverse("firms:firm-detail", args=[acme.pk])).content.decode()
    assert "Wile Lovelace" in html and "Genius" in html
    assert 'href="mailto:hello@acme.example"' in html


def test_a_person_or_a_hidden_company_has_no_firm_page(make_contact, client, outsider):
    person = make_contact(projects=[])
    hidden = make_contact(is_company=True, name="Hidden", visibility="private")
    client.force_login(outsider)
    assert client.get(reverse("firms:firm-detail", args=[person.pk])).status_code == 404
    assert client.get(reverse("firms:firm-detail", args=[hidden.pk])).status_code == 404


def test_merging_a_firm_moves_its_people(make_contact, client, alice):
    source = make_contact(is_company=True, name="Acme Inc")
    target = make_contact(is_company=True, name="Acme")
    person = make_contact(first_name="Wile", company=source)
    client.force_login(alice)
    response = client.post(reverse("firms:firm-merge", args=[source.pk]), {"target": target.pk})
    assert response["Location"] == reverse("firms:firm-detail", args=[target.pk])
    person.refresh_from_db()
    assert person.company == target
    assert Contact.objects.get(pk=source.pk).deleted_at is not None  # merged away: in the trash


def test_merging_needs_the_right_to_delete_the_source(make_contact, client, bob):
    source = make_contact(is_company=True, name="Acme Inc")
    target = make_contact(is_company=True, name="Acme")
    client.force_login(bob)
    response = client.post(reverse("firms:firm-merge", args=[source.pk]), {"target": target.pk}, follow=True)
    assert "You may not merge these companies." in response.content.decode()
    assert Contact.objects.filter(pk=source.pk).exists()


@pytest.mark.parametrize("count", [5, 30])
def test_firm_list_costs_a_fixed_number_of_queries(count, make_contact, client, alice, django_assert_num_queries):
    for index in range(count):
        firm = make_contact(is_company=True, name=f"Firm {index}", items=[{"kind": "email", "value": "a@b.example"}])
        make_contact(first_name="Employee", company=firm)
    client.force_login(alice)
    # Session, user, count, page, and one query per prefetched relation.
    with django_assert_num_queries(8):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == min(count, 25)


def test_firm_page_offers_the_company_picker_not_a_list_of_companies(make_contact, client, alice):
    source = make_contact(is_company=True, name="Acme Inc")
    make_contact(is_company=True, name="Initech")
    client.force_login(alice)
    html = client.get(reverse("firms:firm-detail", args=[source.pk])).content.decode()
    assert f'data-company-picker="{reverse("contacts:company-suggest")}?exclude={source.pk}"' in html
    assert 'role="combobox"' in html
    assert "Initech" not in html


def test_merging_into_a_duplicate_typed_by_name_without_javascript(make_contact, client, alice):
    source = make_contact(is_company=True, name="Acme")
    target = make_contact(is_company=True, name="ACME")
    client.force_login(alice)
    response = client.post(reverse("firms:firm-merge", args=[source.pk]), {"target_search": "acme"})
    assert response["Location"] == reverse("firms:firm-detail", args=[target.pk])
    assert Contact.objects.get(pk=source.pk).deleted_at is not None  # merged away: in the trash


def test_merging_into_nothing_or_a_hidden_company_says_so(make_contact, client, outsider):
    source = make_contact(user=outsider, is_company=True, name="Mine", projects=[])
    hidden = make_contact(is_company=True, name="Hidden", visibility="private")
    client.force_login(outsider)
    url = reverse("firms:firm-merge", args=[source.pk])
    assert "Choose a company to merge into." in client.post(url, {}, follow=True).content.decode()
    assert "Choose a company you can see." in client.post(url, {"target": hidden.pk}, follow=True).content.decode()
    response = client.post(url, {"target_search": "Hidden"}, follow=True)
    assert "No company you can see is called Hidden" in response.content.decode()
    assert "Choose a company you can see." in client.post(url, {"target": source.pk}, follow=True).content.decode()
    assert Contact.objects.filter(pk__in=[source.pk, hidden.pk]).count() == 2
