"""The contact form's company picker and access list: suggestions, validation, and a page that stays small."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from contacts.models import Contact

pytestmark = pytest.mark.django_db


def suggest(client, q: str) -> list[dict]:
    response = client.get(reverse("contacts:company-suggest"), {"q": q})
    assert response.status_code == 200
    return response.json()


def test_suggestions_list_only_visible_companies_matching_the_words_typed(make_contact, client, outsider):
    acme = make_contact(is_company=True, name="Acme Corporation", visibility="public")
    make_contact(is_company=True, name="Acme Secret", visibility="private")
    make_contact(first_name="Acme", last_name="Person", visibility="public")
    client.force_login(outsider)
    assert suggest(client, "acm") == [{"id": acme.pk, "name": "Acme Corporation"}]
    assert suggest(client, "corp acme") == [{"id": acme.pk, "name": "Acme Corporation"}]
    assert suggest(client, "initech") == []


def test_suggestions_are_at_most_fifteen_sorted_by_name(make_contact, alice_client):
    for index in range(20):
        make_contact(is_company=True, name=f"Firm {index:02d}")
    names = [c["name"] for c in suggest(alice_client, "firm")]
    assert names == [f"Firm {index:02d}" for index in range(15)]
    assert len(suggest(alice_client, "")) == 15


def test_suggestions_shrug_off_odd_queries(alice_client):
    assert suggest(alice_client, "\x00") == []
    assert suggest(alice_client, "x" * 5000) == []
    for exclude in ("²", "abc", "99999999999999999999999"):
        response = alice_client.get(reverse("contacts:company-suggest"), {"q": "a", "exclude": exclude})
        assert response.status_code == 200


def test_suggestions_leave_out_the_excluded_company(make_contact, alice_client):
    acme = make_contact(is_company=True, name="Acme")
    twin = make_contact(is_company=True, name="Acme")
    response = alice_client.get(reverse("contacts:company-suggest"), {"q": "acme", "exclude": acme.pk})
    assert response.json() == [{"id": twin.pk, "name": "Acme"}]


def test_suggestions_need_a_signed_in_user(client):
    response = client.get(reverse("contacts:company-suggest"), {"q": "a"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_person_is_saved_with_the_company_picked_by_id(make_contact, alice_client, contact_form_data):
    acme = make_contact(is_company=True, name="Acme")
    data = contact_form_data(first_name="Grace", company=acme.pk, company_search="Acme")
    assert alice_client.post(reverse("contacts:contact-create"), data).status_code == 302
    assert Contact.objects.get(first_name="Grace").company == acme


def test_a_company_the_user_cannot_see_is_a_form_error_that_names_nothing(
    make_contact, client, outsider, contact_form_data
):
    hidden = make_contact(is_company=True, name="Hidden Holdings", visibility="private")
    client.force_login(outsider)
    for company in (hidden.pk, "abc", "99999999999999999999999", "²", "-1"):
        data = contact_form_data(first_name="Grace", company=company, company_search="Hidden Holdings")
        response = client.post(reverse("contacts:contact-create"), data)
        assert response.status_code == 200
        assert response.context["editor"].form.errors["company"] == ["Choose a company you can see."]
    data = contact_form_data(first_name="Grace", company_search="Hidden Holdings")
    errors = client.post(reverse("contacts:contact-create"), data).context["editor"].form.errors
    assert errors["company_search"] == [
        "No company you can see is called Hidden Holdings: pick one from the suggestions or create it first."
    ]
    assert not Contact.objects.filter(first_name="Grace").exists()


def test_without_javascript_the_typed_name_picks_the_company(make_contact, alice_client, contact_form_data):
    acme = make_contact(is_company=True, name="Acme")
    data = contact_form_data(first_name="Grace", company_search="  acme ")
    assert alice_client.post(reverse("contacts:contact-create"), data).status_code == 302
    assert Contact.objects.get(first_name="Grace").company == acme


def test_a_name_two_companies_share_asks_to_pick_one(make_contact, alice_client, contact_form_data):
    make_contact(is_company=True, name="Acme")
    make_contact(is_company=True, name="ACME")
    data = contact_form_data(first_name="Grace", company_search="Acme")
    errors = alice_client.post(reverse("contacts:contact-create"), data).context["editor"].form.errors
    assert errors["company_search"] == ["Several companies are called Acme: pick the right one from the suggestions."]


def test_edit_shows_the_current_company_and_a_blank_name_clears_it(make_contact, alice_client, contact_form_data):
    acme = make_contact(is_company=True, name="Acme")
    grace = make_contact(first_name="Grace", company=acme)
    html = alice_client.get(reverse("contacts:contact-update", args=[grace.pk])).content.decode()
    assert f'name="company" value="{acme.pk}"' in html
    assert 'name="company_search" id="id_company_search" value="Acme"' in html
    assert 'role="combobox"' in html and 'aria-controls="company-options"' in html
    data = contact_form_data(first_name="Grace", company=acme.pk, company_search="")
    assert alice_client.post(reverse("contacts:contact-update", args=[grace.pk]), data).status_code == 302
    grace.refresh_from_db()
    assert grace.company is None


def test_a_typed_name_other_than_the_chosen_company_wins(make_contact, alice_client, contact_form_data):
    acme, initech = make_contact(is_company=True, name="Acme"), make_contact(is_company=True, name="Initech")
    grace = make_contact(first_name="Grace", company=acme)
    data = contact_form_data(first_name="Grace", company=acme.pk, company_search="Initech")
    alice_client.post(reverse("contacts:contact-update", args=[grace.pk]), data)
    grace.refresh_from_db()
    assert grace.company == initech


def test_a_company_from_the_query_string_is_shown_only_if_visible(make_contact, client, outsider):
    hidden = make_contact(is_company=True, name="Hidden Holdings", visibility="private")
    client.force_login(outsider)
    response = client.get(reverse("contacts:contact-create"), {"company": hidden.pk})
    assert response.context["editor"].form["company"].value() is None
    assert "Hidden Holdings" not in response.content.decode()
    for odd in ("x", "²", "99999999999999999999999"):
        assert client.get(reverse("contacts:contact-create"), {"company": odd}).status_code == 200


def test_form_page_stays_small_and_quick_with_thousands_of_companies(client, django_assert_max_num_queries):
    call_command("seed_demo", "--quiet")
    admin = Contact.objects.filter(is_company=True).first().author
    firms = [Contact(is_company=True, name=f"Picker Firm {n:04d}", author=admin) for n in range(2000)]
    for firm in firms:
        firm.display_name = firm.compute_display_name()
    Contact.objects.bulk_create(firms)
    names = list(Contact.objects.filter(is_company=True).values_list("name", flat=True))
    assert len(names) > 2000
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    person = Contact.objects.filter(is_company=False, company__isnull=False).first()
    pages = {reverse("contacts:contact-create"): 8, reverse("contacts:contact-update", args=[person.pk]): 15}
    for url, queries in pages.items():
        # Session, user, users (assignee and access list), types, stages, projects, custom fields;
        # on edit also the contact with its prefetched relations and its access list. No company list.
        with django_assert_max_num_queries(queries):
            response = client.get(url)
        html = response.content.decode()
        assert len(html) < 150_000
        assert [name for name in names if name in html] == ([person.company.name] if "edit" in url else [])


def test_private_contact_gets_the_chosen_access_list_and_shows_it(
    make_contact, alice_client, bob, outsider, contact_form_data
):
    data = contact_form_data(first_name="Grace", visibility="private", access_list=[outsider.pk])
    assert alice_client.post(reverse("contacts:contact-create"), data).status_code == 302
    grace = Contact.objects.get(first_name="Grace")
    assert list(grace.access_list.all()) == [outsider]
    html = alice_client.get(grace.get_absolute_url()).content.decode()
    assert 'id="access-list">Outsider Tester</dd>' in html
    edit = alice_client.get(reverse("contacts:contact-update", args=[grace.pk])).content.decode()
    assert f'value="{outsider.pk}" id="id_access_list_' in edit and "checked" in edit
    data = contact_form_data(first_name="Grace", visibility="private", access_list=[bob.pk])
    alice_client.post(reverse("contacts:contact-update", args=[grace.pk]), data)
    assert list(grace.access_list.all()) == [bob]


def test_a_private_contact_with_nobody_else_says_so(make_contact, alice_client):
    grace = make_contact(first_name="Grace", visibility="private")
    html = alice_client.get(grace.get_absolute_url()).content.decode()
    assert 'id="access-list">Nobody but its author and assignee</dd>' in html


def test_the_access_list_is_kept_when_the_contact_is_not_private(make_contact, alice_client, bob, contact_form_data):
    grace = make_contact(first_name="Grace", visibility="project", access_list=[bob])
    data = contact_form_data(first_name="Grace", visibility="public", access_list=[])
    assert alice_client.post(reverse("contacts:contact-update", args=[grace.pk]), data).status_code == 302
    assert list(grace.access_list.all()) == [bob]


def test_an_unknown_user_in_the_access_list_is_a_form_error(alice_client, contact_form_data):
    data = contact_form_data(first_name="Grace", visibility="private", access_list=["999999"])
    response = alice_client.post(reverse("contacts:contact-create"), data)
    assert "access_list" in response.context["editor"].form.errors
    assert not Contact.objects.exists()
