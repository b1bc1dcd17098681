"""The contact pages: list, search, filters, exports, bulk actions, detail, forms, notes, tags."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from contacts.models import Contact, ContactItem, CustomField, Note
from contacts.services import note_create
from projects.models import Membership
from projects.services import membership_set

pytestmark = pytest.mark.django_db
LIST = reverse("contacts:contact-list")


@pytest.mark.parametrize(
    "url",
    ["/", LIST, reverse("contacts:contact-create"), reverse("contacts:contact-export-csv"), "/tags/", "/firms/"],
)
def test_pages_send_anonymous_visitors_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_list_shows_only_contacts_the_user_may_see(make_contact, outsider, client):
    make_contact(first_name="Visible", visibility="public", projects=[])
    make_contact(first_name="Secret", visibility="private")
    client.force_login(outsider)
    html = client.get(LIST).content.decode()
    assert "Visible Lovelace" in html
    assert "Secret" not in html


def test_search_matches_email_phone_company_and_job_title(make_contact, alice_client):
    acme = make_contact(is_company=True, name="Acme")
    make_contact(first_name="Eve", company=acme)
    make_contact(first_name="Mail", items=[{"kind": "email", "value": "zed@example.org"}])
    make_contact(first_name="Phone", items=[{"kind": "tel", "value": "+1 415 555 0199"}])
    make_contact(first_name="Boss", job_title="Chief Widget Officer")
    make_contact(first_name="Other")

    def names(query: str) -> set[str]:
        page = alice_client.get(LIST, {"q": query}).context["page"]
        return {c.first_name or c.name for c in page.object_list}

    assert names("acme") == {"Acme", "Eve"}
    assert names("zed@") == {"Mail"}
    assert names("555 0199") == {"Phone"}
    assert names("widget") == {"Boss"}


def test_htmx_search_returns_only_the_results_fragment(make_contact, alice_client):
    make_contact(first_name="Zora")
    response = alice_client.get(LIST, {"q": "zora"}, headers={"HX-Request": "true"})
    html = response.getvalue().decode()
    assert "Zora Lovelace" in html
    assert "<html" not in html
    assert 'id="bulk-form"' in html


def test_filters_by_tag_project_kind_type_and_assignee(make_contact, alice_client, alice, project, other_project):
    make_contact(first_name="Tagged", tags=["vip"])
    make_contact(first_name="Plain")
    make_contact(is_company=True, name="Firm")
    make_contact(first_name="Assigned", assigned_to=alice)

    def names(**params: str) -> set[str]:
        return {c.display_name for c in alice_client.get(LIST, params).context["page"].object_list}

    assert names(tag="vip") == {"Tagged Lovelace"}
    assert names(kind="company") == {"Firm"}
    assert "Firm" not in names(kind="person")
    assert names(assigned_to=str(alice.pk)) == {"Assigned Lovelace"}
    assert len(names(project=str(project.pk))) == 4
    assert names(visibility="private") == set()


def test_invalid_filter_values_are_ignored_not_errors(make_contact, alice_client):
    make_contact(first_name="Ada")
    response = alice_client.get(LIST, {"contact_type": "nope", "sort": "password", "per_page": "7", "page": "x"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 1


def test_columns_sort_both_ways(make_contact, alice_client):
    make_contact(first_name="Anna")
    make_contact(first_name="Zoe")
    first = alice_client.get(LIST, {"sort": "name"}).context["page"].object_list[0]
    last_first = alice_client.get(LIST, {"sort": "-name"}).context["page"].object_list[0]
    assert (first.first_name, last_first.first_name) == ("Anna", "Zoe")
    html = alice_client.get(LIST, {"sort": "name"}).content.decode()
    assert 'aria-sort="ascending"' in html
    assert "?sort=-name" in html


def test_pagination_links_keep_the_filters(make_contact, alice_client):
    for index in range(30):
        make_contact(first_name=f"P{index:02}", tags=["vip"])
    html = alice_client.get(LIST, {"tag": "vip", "q": "p"}).content.decode()
    assert "?tag=vip&amp;q=p&amp;page=2" in html


@pytest.mark.parametrize("count", [5, 50])
def test_list_page_costs_a_fixed_number_of_queries(count, make_contact, alice_client, django_assert_num_queries):
    for index in range(count):
        make_contact(
            first_name=f"N{index}",
            tags=["vip", "partner"],
            items=[{"kind": "tel", "value": "+1 415 555 0100"}, {"kind": "email", "value": f"n{index}@example.com"}],
            addresses=[{"city": "Paris", "country": "FR"}],
        )
    # The user; the menus' choices and the saved views, in one read for the filters, the bulk bar
    # and the views menu; the count and the page; the two relations the rows show (items, tags).
    with django_assert_num_queries(6):
        response = alice_client.get(LIST, {"per_page": "50"})
    assert len(response.context["page"].object_list) == count


def test_export_csv_and_vcard_follow_the_current_filter(make_contact, alice_client):
    make_contact(first_name="Kept", tags=["vip"], items=[{"kind": "email", "value": "kept@example.com"}])
    make_contact(first_name="Dropped")
    csv_response = alice_client.get(reverse("contacts:contact-export-csv"), {"tag": "vip"})
    assert csv_response["Content-Type"].startswith("text/csv")
    assert 'filename="contacts.csv"' in csv_response["Content-Disposition"]
    body = csv_response.getvalue().decode()
    assert "kept@example.com" in body
    assert "Dropped" not in body
    vcard = alice_client.get(reverse("contacts:contact-export-vcard"), {"tag": "vip"}).getvalue().decode()
    assert vcard.count("BEGIN:VCARD") == 1
    assert "FN:Kept Lovelace" in vcard


def test_export_leaves_out_contacts_the_user_may_not_see(make_contact, client, outsider):
    make_contact(first_name="Hidden", visibility="private")
    client.force_login(outsider)
    assert "Hidden" not in client.get(reverse("contacts:contact-export-csv")).getvalue().decode()


def test_a_contact_the_user_may_not_see_is_a_404_on_every_page(make_contact, client, outsider):
    contact = make_contact(visibility="private")
    client.force_login(outsider)
    for name in ("contact-detail", "contact-update", "contact-delete"):
        assert client.get(reverse(f"contacts:{name}", args=[contact.pk])).status_code == 404
    assert client.post(reverse("contacts:note-create", args=[contact.pk]), {"content": "x"}).status_code == 404
    assert client.post(reverse("contacts:contact-tag-add", args=[contact.pk]), {"tags": "x"}).status_code == 404
    assert not Note.objects.exists()


def test_contact_page_links_phones_emails_and_websites_and_shows_tags_and_custom_values(
    make_contact, alice_client, license_field
):
    acme = make_contact(is_company=True, name="Acme")
    contact = make_contact(
        company=acme,
        items=[
            {"kind": "tel", "value": "+1 415 555 0100"},
            {"kind": "email", "value": "ada@example.com"},
            {"kind": "url", "value": "https://ada.example.com"},
        ],
        addresses=[{"street1": "1 Main St", "city": "London", "country": "GB"}],
        custom_values={license_field.pk: "Pro"},
        tags=["vip"],
    )
    html = alice_client.get(contact.get_absolute_url()).content.decode()
    assert 'href="tel:+14155550100"' in html
    assert 'href="mailto:ada@example.com"' in html
    assert 'href="https://ada.example.com"' in html
    assert f'href="{reverse("firms:firm-detail", args=[acme.pk])}"' in html
    assert "1 Main St, London, United Kingdom" in html
    assert ">vip</a>" in html
    assert "License" in html and "Pro" in html


def test_company_page_lists_the_people_the_user_may_see(make_contact, client, outsider):
    acme = make_contact(is_company=True, name="Acme", projects=[])
    make_contact(first_name="Seen", company=acme, projects=[])
    make_contact(first_name="Unseen", company=acme, visibility="private")
    client.force_login(outsider)
    html = client.get(acme.get_absolute_url()).content.decode()
    assert "Seen Lovelace" in html
    assert "Unseen" not in html


def test_create_person_with_two_phones_a_custom_field_tags_and_project(
    alice_client, contact_form_data, license_field, project
):
    data = contact_form_data(
        first_name="Grace",
        last_name="Hopper",
        items=[
            {"kind": "tel", "tel_type": "cell", "value": "+1 415 555 0100"},
            {"kind": "tel", "tel_type": "voice", "value": "+1 415 555 0101"},
            {"kind": "email", "value": ""},
        ],
        addresses=[{"street1": "1 Navy Way", "city": "Arlington", "country": "US"}],
        tags="navy, cobol",
        projects=[project.pk],
        **{f"cf_{license_field.pk}": "Pro"},
    )
    response = alice_client.post(reverse("contacts:contact-create"), data)
    contact = Contact.objects.get(last_name="Hopper")
    assert response.status_code == 302
    assert response["Location"] == contact.get_absolute_url()
    assert [(i.tel_type, i.normalized) for i in contact.items.all()] == [
        ("cell", "+14155550100"),
        ("voice", "+14155550101"),
    ]
    assert contact.addresses.get().city == "Arlington"
    assert contact.custom_values.get().value == "Pro"
    assert sorted(t.name for t in contact.tags.all()) == ["cobol", "navy"]
    assert list(contact.projects.all()) == [project]
    assert "Grace Hopper was created." in alice_client.get(response["Location"]).content.decode()


def test_create_company_from_the_company_form(alice_client, contact_form_data):
    url = reverse("contacts:contact-create") + "?kind=company"
    response = alice_client.post(url, contact_form_data(name="Initech"))
    assert response.status_code == 302
    assert Contact.objects.get(name="Initech").is_company


def test_company_form_stores_registration_and_vat_numbers_and_both_pages_show_them(alice_client, contact_form_data):
    url = reverse("contacts:contact-create") + "?kind=company"
    data = contact_form_data(name="Initech", registration_number="732829320", vat_number="FR40732829320")
    assert alice_client.post(url, data).status_code == 302
    company = Contact.objects.get(name="Initech")
    assert (company.registration_number, company.vat_number) == ("732829320", "FR40732829320")
    for page in (
        reverse("contacts:contact-detail", args=[company.pk]),
        reverse("firms:firm-detail", args=[company.pk]),
    ):
        html = alice_client.get(page).content.decode()
        assert "732829320" in html and "FR40732829320" in html
    person_form = alice_client.get(reverse("contacts:contact-create")).content.decode()
    assert "vat_number" not in person_form


def test_form_errors_show_next_to_their_fields_and_nothing_is_saved(alice_client, contact_form_data):
    integer = CustomField.objects.create(name="Seats", field_format=CustomField.Format.INTEGER)
    data = contact_form_data(
        first_name="",
        items=[{"kind": "tel", "value": "+1 415 555 0100"}, {"kind": "tel", "value": "not a phone"}],
        addresses=[{"context": "home", "city": "Oslo"}],
        **{f"cf_{integer.pk}": "many"},
    )
    response = alice_client.post(reverse("contacts:contact-create"), data)
    assert response.status_code == 200
    editor = response.context["editor"]
    assert editor.form.errors[f"cf_{integer.pk}"] == ["Enter a whole number."]
    assert not Contact.objects.exists()
    data[f"cf_{integer.pk}"] = ""
    response = alice_client.post(reverse("contacts:contact-create"), data)
    editor = response.context["editor"]
    assert editor.form.errors["first_name"] == ["First name cannot be blank."]
    assert editor.items.forms[1].errors["value"] == ["not a phone is not a valid phone number."]
    assert not editor.items.forms[0].errors
    assert "not a phone is not a valid phone number." in response.getvalue().decode()
    assert not Contact.objects.exists()


def test_required_custom_field_error_is_shown_on_that_field(alice_client, contact_form_data):
    field = CustomField.objects.create(name="Region", is_required=True)
    response = alice_client.post(reverse("contacts:contact-create"), contact_form_data(first_name="Ada"))
    assert response.context["editor"].form.errors[f"cf_{field.pk}"] == ["Region cannot be blank."]


def test_edit_form_shows_stored_values_and_saves_changes_and_removals(make_contact, alice_client, contact_form_data):
    contact = make_contact(
        items=[{"kind": "tel", "value": "+1 415 555 0100"}, {"kind": "email", "value": "old@example.com"}],
        tags=["vip"],
    )
    phone, email = contact.items.all()
    page = alice_client.get(reverse("contacts:contact-update", args=[contact.pk])).content.decode()
    assert 'value="old@example.com"' in page
    assert 'value="vip"' in page
    data = contact_form_data(
        first_name="Ada",
        last_name="King",
        initial_items=2,
        items=[
            {"id": phone.pk, "value": "+1 415 555 0199"},
            {"id": email.pk, "kind": "email", "value": "old@example.com", "DELETE": "on"},
            {"kind": "url", "value": "https://example.com"},
        ],
        tags="vip, friend",
    )
    response = alice_client.post(reverse("contacts:contact-update", args=[contact.pk]), data)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.display_name == "Ada King"
    assert [(i.pk == phone.pk, i.kind, i.value) for i in contact.items.all()] == [
        (True, "tel", "+1 415 555 0199"),
        (False, "url", "https://example.com"),
    ]
    assert sorted(t.name for t in contact.tags.all()) == ["friend", "vip"]


def test_edit_keeps_the_projects_the_user_may_not_manage(
    make_contact, contact_form_data, client, bob, outsider, other_project
):
    contact = make_contact(user=outsider, projects=[other_project], visibility="public")
    contact.access_list.add(bob)
    client.force_login(bob)
    client.post(reverse("contacts:contact-update", args=[contact.pk]), contact_form_data(first_name="Ada"))
    assert list(contact.projects.all()) == [other_project]


def test_a_viewer_may_see_but_not_edit_a_contact(make_contact, client, outsider, project):
    membership_set(project=project, user=outsider, role=Membership.Role.VIEWER)
    contact = make_contact(visibility="project")
    client.force_login(outsider)
    assert client.get(contact.get_absolute_url()).status_code == 200
    assert client.get(reverse("contacts:contact-update", args=[contact.pk])).status_code == 403
    assert client.get(reverse("contacts:contact-delete", args=[contact.pk])).status_code == 403


def test_delete_asks_for_confirmation_then_deletes(make_contact, alice_client):
    contact = make_contact()
    url = reverse("contacts:contact-delete", args=[contact.pk])
    assert "moves to the trash" in alice_client.get(url).content.decode()
    assert Contact.objects.get(pk=contact.pk).deleted_at is None
    response = alice_client.post(url)
    assert response["Location"] == LIST
    assert Contact.objects.get(pk=contact.pk).deleted_at is not None


def test_posts_without_a_csrf_token_are_refused(make_contact, alice):
    contact = make_contact()
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(reverse("contacts:contact-delete", args=[contact.pk])).status_code == 403
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_adding_a_note_with_htmx_returns_the_updated_timeline(make_contact, alice_client):
    contact = make_contact()
    url = reverse("contacts:note-create", args=[contact.pk])
    data = {"kind": "call", "content": "Called about renewal"}
    response = alice_client.post(url, data, headers={"HX-Request": "true"})
    html = response.getvalue().decode()
    assert 'id="notes"' in html and "<html" not in html
    assert "Called about renewal" in html
    assert "Note added." in html and 'hx-swap-oob="true"' in html
    assert contact.notes.get().kind == "call"


def test_a_blank_note_shows_an_error_and_saves_nothing(make_contact, alice_client):
    contact = make_contact()
    response = alice_client.post(reverse("contacts:note-create", args=[contact.pk]), {"kind": "note", "content": " "})
    assert response.status_code == 200
    assert response.context["note_form"].errors["content"] == ["This field is required."]
    assert not contact.notes.exists()


def test_timeline_lists_notes_newest_first(make_contact, alice_client, alice):
    contact = make_contact()
    note_create(contact=contact, user=alice, content="first")
    note_create(contact=contact, user=alice, content="second")
    html = alice_client.get(contact.get_absolute_url()).content.decode()
    assert html.index("second") < html.index("first")


def test_tags_added_on_the_contact_page(make_contact, alice_client):
    contact = make_contact(tags=["vip"])
    alice_client.post(reverse("contacts:contact-tag-add", args=[contact.pk]), {"tags": "lead, vip"})
    assert sorted(t.name for t in contact.tags.all()) == ["lead", "vip"]


def test_bulk_add_tag_and_project(make_contact, alice_client, alice, other_project):
    first, second, untouched = make_contact(first_name="A"), make_contact(first_name="B"), make_contact(first_name="C")
    bulk = reverse("contacts:contact-bulk")
    response = alice_client.post(bulk, {"action": "tag", "tag": "q3", "ids": [first.pk, second.pk], "next": "/x/"})
    assert response["Location"] == "/x/"
    assert {c.pk for c in Contact.objects.filter(tags__name="q3")} == {first.pk, second.pk}
    membership_set(project=other_project, user=alice, role=Membership.Role.MEMBER)
    alice_client.post(bulk, {"action": "project", "project": other_project.pk, "ids": [first.pk]})
    assert list(other_project.contacts.all()) == [first]
    assert not untouched.tags.exists()


def test_bulk_add_to_a_project_the_user_may_not_write_is_refused(make_contact, alice_client, other_project):
    contact = make_contact()
    response = alice_client.post(
        reverse("contacts:contact-bulk"), {"action": "project", "project": other_project.pk, "ids": [contact.pk]}
    )
    assert response.status_code == 302
    assert not other_project.contacts.exists()


def test_bulk_delete_asks_for_confirmation_first(make_contact, alice_client):
    contacts = [make_contact(first_name="A"), make_contact(first_name="B")]
    ids = [c.pk for c in contacts]
    response = alice_client.post(reverse("contacts:contact-bulk"), {"action": "delete", "ids": ids})
    assert "Delete 2 contacts?" in response.getvalue().decode()
    assert Contact.objects.filter(deleted_at__isnull=True).count() == 2
    alice_client.post(reverse("contacts:contact-bulk"), {"action": "delete", "ids": ids, "confirmed": "1"})
    assert not Contact.objects.filter(deleted_at__isnull=True).exists()


def test_bulk_delete_skips_the_contacts_the_user_may_not_delete_and_says_so(make_contact, client, bob, alice):
    own = make_contact(user=bob, first_name="Own")
    other = make_contact(first_name="Alices")
    client.force_login(bob)
    response = client.post(
        reverse("contacts:contact-bulk"), {"action": "delete", "ids": [own.pk, other.pk], "confirmed": "1"}, follow=True
    )
    assert "Moved 1 contact to the trash. 1 skipped: you may not delete them." in response.getvalue().decode()
    assert list(Contact.objects.filter(deleted_at__isnull=True)) == [other]


def test_bulk_ignores_contacts_the_user_may_not_see(make_contact, client, outsider):
    hidden = make_contact(visibility="private")
    client.force_login(outsider)
    client.post(reverse("contacts:contact-bulk"), {"action": "delete", "ids": [hidden.pk], "confirmed": "1"})
    assert Contact.objects.filter(pk=hidden.pk).exists()


def test_bulk_without_a_selection_says_so(alice_client):
    response = alice_client.post(reverse("contacts:contact-bulk"), {"action": "tag", "tag": "x"}, follow=True)
    assert "Select at least one contact." in response.getvalue().decode()


def test_bulk_confirmation_never_links_to_another_site(make_contact, alice_client):
    contact = make_contact()
    data = {"action": "delete", "ids": [contact.pk], "next": "https://evil.example/"}
    html = alice_client.post(reverse("contacts:contact-bulk"), data).content.decode()
    assert "evil.example" not in html


def test_primary_item_flag_is_saved_from_the_form(alice_client, contact_form_data):
    data = contact_form_data(first_name="Ada", items=[{"kind": "email", "value": "a@example.com", "is_primary": "on"}])
    alice_client.post(reverse("contacts:contact-create"), data)
    assert ContactItem.objects.get().is_primary


def test_contact_page_names_only_the_projects_the_user_may_see(make_contact, client, outsider, project, other_project):
    contact = make_contact(user=outsider, projects=[other_project], visibility="public")
    contact.projects.add(project)
    client.force_login(outsider)
    html = client.get(contact.get_absolute_url()).content.decode()
    assert "Elsewhere" in html
    assert "Support" not in html


def test_add_person_from_a_company_page_preselects_the_company(make_contact, alice_client):
    acme = make_contact(is_company=True, name="Acme")
    editor = alice_client.get(reverse("contacts:contact-create"), {"company": acme.pk}).context["editor"]
    assert editor.form["company"].value() == str(acme.pk)


def test_page_size_links_keep_the_filters(make_contact, alice_client):
    make_contact(tags=["vip"])
    html = alice_client.get(LIST, {"tag": "vip"}).getvalue().decode()
    assert "?tag=vip&amp;per_page=50" in html


def test_avatar_upload_is_saved_and_shown(alice_client, contact_form_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(image, "PNG")
    upload = SimpleUploadedFile("ada.png", image.getvalue(), content_type="image/png")
    alice_client.post(reverse("contacts:contact-create"), contact_form_data(first_name="Ada") | {"avatar": upload})
    contact = Contact.objects.get()
    assert contact.avatar.name.endswith(".png")
    assert f'src="{contact.avatar.url}"' in alice_client.get(contact.get_absolute_url()).content.decode()


def test_a_file_that_is_not_an_image_is_refused_as_avatar(alice_client, contact_form_data):
    upload = SimpleUploadedFile("ada.png", b"not an image", content_type="image/png")
    data = contact_form_data(first_name="Ada") | {"avatar": upload}
    response = alice_client.post(reverse("contacts:contact-create"), data)
    assert "avatar" in response.context["editor"].form.errors
    assert not Contact.objects.exists()


def test_bulk_ignores_ids_out_of_the_database_range(make_contact, alice_client):
    contact = make_contact()
    data = {"action": "tag", "tag": "x", "ids": ["99999999999999999999999", str(contact.pk)]}
    assert alice_client.post(reverse("contacts:contact-bulk"), data).status_code == 302
    assert [t.name for t in contact.tags.all()] == ["x"]
    assert alice_client.get("/contacts/99999999999999999999999/").status_code == 404
