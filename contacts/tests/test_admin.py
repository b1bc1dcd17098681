"""The admin: every model's list, search and add pages render; contact inlines save."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from contacts.admin import AddressInline, ContactItemInline, CustomValueInline, NoteInline
from contacts.forms.editor import MAX_ADDRESSES, MAX_ITEMS
from contacts.models import Contact, Note, WebForm
from projects.admin import MembershipInline, WebFormInline
from projects.models import Project

pytestmark = pytest.mark.django_db

MODELS = [
    "contacts/contact",
    "contacts/contacttype",
    "contacts/contactstage",
    "contacts/tag",
    "contacts/customfield",
    "contacts/note",
    "contacts/apikey",
    "contacts/webform",
    "firms/firm",
    "projects/project",
    "projects/membership",
]


@pytest.mark.parametrize("model", MODELS)
def test_admin_list_search_and_add_pages_render(admin_client, model, make_contact):
    make_contact(tags=["vip"])
    base = f"/admin/{model}/"
    assert admin_client.get(base).status_code == 200
    assert admin_client.get(base, {"q": "ada"}).status_code == 200
    assert admin_client.get(base + "add/").status_code == 200


def test_admin_change_page_of_contact_shows_inlines(admin_client, make_contact):
    contact = make_contact(items=[{"kind": "email", "value": "ada@example.com"}])
    response = admin_client.get(reverse("admin:contacts_contact_change", args=[contact.pk]))
    assert response.status_code == 200
    assert b"ada@example.com" in response.content


def test_admin_webform_page_shows_embeddable_snippet(admin_client, project):
    form = WebForm.objects.create(project=project, name="Leads")
    response = admin_client.get(reverse("admin:contacts_webform_change", args=[form.pk]))
    assert response.status_code == 200
    assert form.key.encode() in response.content
    assert f"/forms/{form.key}/".encode() in response.content


def test_admin_firm_list_shows_only_companies(admin_client, make_contact):
    make_contact(is_company=True, name="Acme")
    make_contact(first_name="Person")
    response = admin_client.get("/admin/firms/firm/")
    assert b"Acme" in response.content and b"Person Lovelace" not in response.content
    assert Contact.objects.count() == 2


def test_admin_contact_inlines_refuse_a_forged_total_forms_without_building_the_forms(admin_client, make_contact):
    contact = make_contact()
    request = admin_client.get(reverse("admin:contacts_contact_change", args=[contact.pk])).wsgi_request
    for inline, cap in ((ContactItemInline, MAX_ITEMS), (AddressInline, MAX_ADDRESSES)):
        formset_class = inline(Contact, admin.site).get_formset(request, contact)
        prefix = formset_class.get_default_prefix()
        formset = formset_class({f"{prefix}-TOTAL_FORMS": "2000", f"{prefix}-INITIAL_FORMS": "0"}, instance=contact)
        assert len(formset.forms) == cap
        assert not formset.is_valid()
        assert f"Please submit at most {cap} forms." in formset.non_form_errors()


def test_admin_contact_search_is_the_contacts_search(admin_client, make_contact):
    make_contact(first_name="Grace", items=[{"kind": "tel", "value": "+1 383 224 4242"}])
    make_contact(first_name="Alan")
    response = admin_client.get("/admin/contacts/contact/", {"q": "224-4242"})
    assert b"Grace Lovelace" in response.content and b"Alan Lovelace" not in response.content
    response = admin_client.get("/admin/contacts/contact/", {"q": "gr"})
    assert b"Grace Lovelace" in response.content and b"Alan Lovelace" not in response.content


def test_admin_contact_list_shows_staff_only_the_contacts_they_may_see(client, make_user, make_contact):
    make_contact(first_name="Secret", visibility="private")
    make_contact(first_name="Open", visibility="public", projects=[])
    staff = make_user("staff")
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="view_contact"))
    client.force_login(staff)
    response = client.get("/admin/contacts/contact/")
    assert b"Open Lovelace" in response.content and b"Secret Lovelace" not in response.content


def _inline_formset(admin_client, inline_class, parent_model, parent, data=None):
    request = admin_client.get("/admin/").wsgi_request
    formset_class = inline_class(parent_model, admin.site).get_formset(request, parent)
    return formset_class(data, instance=parent, prefix=formset_class.get_default_prefix())


def test_every_admin_inline_refuses_a_forged_total_forms(admin_client, make_contact, project):
    contact = make_contact()
    for inline, parent_model, parent in (
        (CustomValueInline, Contact, contact),
        (NoteInline, Contact, contact),
        (MembershipInline, Project, project),
        (WebFormInline, Project, project),
    ):
        prefix = _inline_formset(admin_client, inline, parent_model, parent).prefix
        data = {f"{prefix}-TOTAL_FORMS": "100000", f"{prefix}-INITIAL_FORMS": "0"}
        formset = _inline_formset(admin_client, inline, parent_model, parent, data)
        assert len(formset.forms) <= 200, inline


def test_a_contact_with_many_notes_shows_the_newest_and_keeps_them_all(admin_client, make_contact, alice):
    contact = make_contact()
    Note.objects.bulk_create(Note(contact=contact, author=alice, content=f"note {n}") for n in range(60))

    formset = _inline_formset(admin_client, NoteInline, Contact, contact)

    shown = {form.instance.content for form in formset.initial_forms}
    assert len(shown) == 20
    assert shown == {f"note {n}" for n in range(40, 60)}
    assert Note.objects.filter(contact=contact).count() == 60


def test_a_contact_with_more_items_than_the_cap_opens_in_the_admin_with_all_of_them(admin_client, make_contact):
    contact = make_contact(items=[{"kind": "tel", "value": f"+1 415 555 {n:04d}"} for n in range(MAX_ITEMS + 7)])

    formset = _inline_formset(admin_client, ContactItemInline, Contact, contact)

    assert len(formset.initial_forms) == MAX_ITEMS + 7
    assert formset.absolute_max == MAX_ITEMS + 7
    page = admin_client.get(reverse("admin:contacts_contact_change", args=[contact.pk]))
    assert page.status_code == 200
    assert page.content.count(b'name="items-') >= MAX_ITEMS + 7
