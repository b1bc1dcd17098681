"""The other pages of the contacts app: sign-in, dashboard, account, tags, custom fields."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contacts.models import ApiKey, CustomField, Tag
from contacts.services import note_create

pytestmark = pytest.mark.django_db


def test_sign_in_page_signs_in_and_sign_out_needs_a_post(client, alice):
    assert "Sign in" in client.get(reverse("login")).content.decode()
    response = client.post(reverse("login"), {"username": "alice", "password": "secret-pass-123"})
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302


def test_wrong_password_says_so(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert "Please enter a correct username and password." in response.content.decode()


def test_dashboard_shows_counts_recent_contacts_notes_and_assigned(make_contact, alice_client, alice, project):
    make_contact(is_company=True, name="Acme")
    noted = make_contact(first_name="Noted")
    make_contact(first_name="Mine", assigned_to=alice)
    note_create(contact=noted, user=alice, content="Asked for a demo")
    response = alice_client.get("/")
    assert response.context["counts"] == {"persons": 2, "companies": 1, "projects": 1}
    html = response.content.decode()
    assert "Asked for a demo" in html
    assert [c.first_name for c in response.context["assigned"]] == ["Mine"]


def test_dashboard_counts_only_what_the_user_may_see(make_contact, client, outsider):
    make_contact(visibility="private")
    client.force_login(outsider)
    assert client.get("/").context["counts"] == {"persons": 0, "companies": 0, "projects": 0}


def test_account_page_shows_the_api_key_and_resets_it(alice_client, alice):
    html = alice_client.get(reverse("accounts:apikey-detail")).content.decode()
    old = ApiKey.objects.get(user=alice).key
    assert old in html
    response = alice_client.post(reverse("accounts:apikey-reset"), follow=True)
    new = ApiKey.objects.get(user=alice).key
    assert new != old
    assert new in response.content.decode()
    assert "Your API key was reset." in response.content.decode()


def test_api_key_reset_needs_a_post(alice_client):
    assert alice_client.get(reverse("accounts:apikey-reset")).status_code == 405


def test_tags_page_counts_only_visible_contacts(make_contact, client, outsider):
    make_contact(tags=["vip"], projects=[])
    make_contact(tags=["vip", "secret"], visibility="private")
    client.force_login(outsider)
    response = client.get(reverse("tags:tag-list"))
    assert {t.name: t.count for t in response.context["tags"]} == {"vip": 1}
    assert "Rename" not in response.content.decode()


def test_staff_rename_recolour_and_merge_tags(make_contact, client, admin_user):
    first = make_contact(tags=["vip"])
    make_contact(tags=["v.i.p."])
    client.force_login(admin_user)
    vip = Tag.objects.get(name="vip")
    client.post(reverse("tags:tag-update", args=[vip.pk]), {"name": "VIP", "color": "#ff0000"})
    vip.refresh_from_db()
    assert (vip.name, vip.color) == ("VIP", "#ff0000")
    dotted = Tag.objects.get(name="v.i.p.")
    response = client.post(reverse("tags:tag-merge"), {"source": dotted.pk, "target": vip.pk}, follow=True)
    assert "v.i.p. was merged into VIP." in response.content.decode()
    assert list(Tag.objects.values_list("name", flat=True)) == ["VIP"]
    assert first.tags.get().name == "VIP"


def test_a_bad_tag_colour_is_refused(make_contact, client, admin_user):
    make_contact(tags=["vip"])
    client.force_login(admin_user)
    vip = Tag.objects.get()
    client.post(reverse("tags:tag-update", args=[vip.pk]), {"name": "vip", "color": "red; x"})
    vip.refresh_from_db()
    assert vip.color == ""


def test_only_staff_may_rename_or_merge_tags(make_contact, alice_client):
    make_contact(tags=["vip", "lead"])
    vip, lead = Tag.objects.get(name="vip"), Tag.objects.get(name="lead")
    assert alice_client.post(reverse("tags:tag-update", args=[vip.pk]), {"name": "x"}).status_code == 404
    assert alice_client.post(reverse("tags:tag-merge"), {"source": vip.pk, "target": lead.pk}).status_code == 404
    assert Tag.objects.count() == 2


def test_tag_suggestions_complete_visible_tags_only(make_contact, client, outsider):
    make_contact(tags=["partner"], projects=[])
    make_contact(tags=["paris-secret"], visibility="private")
    client.force_login(outsider)
    assert client.get(reverse("tags:tag-suggest"), {"q": "pa"}).json() == ["partner"]


def test_custom_field_pages_are_staff_only(alice_client):
    assert alice_client.get(reverse("contacts:customfield-list")).status_code == 404
    assert alice_client.post(reverse("contacts:customfield-create"), {"name": "x"}).status_code == 404
    assert not CustomField.objects.exists()


def test_staff_define_a_list_custom_field(client, admin_user):
    client.force_login(admin_user)
    data = {"name": "Plan", "field_format": "list", "choices": "Basic\nPro\n", "position": 1, "applies_to": "both"}
    response = client.post(reverse("contacts:customfield-create"), data)
    assert response["Location"] == reverse("contacts:customfield-list")
    field = CustomField.objects.get()
    assert field.choices == ["Basic", "Pro"]
    assert "Plan" in client.get(reverse("contacts:customfield-list")).content.decode()
    edit = client.get(reverse("contacts:customfield-update", args=[field.pk])).content.decode()
    assert "Basic\nPro</textarea>" in edit


def test_a_list_field_without_choices_shows_the_error(client, admin_user):
    client.force_login(admin_user)
    data = {"name": "Plan", "field_format": "list", "choices": "", "position": 1, "applies_to": "both"}
    response = client.post(reverse("contacts:customfield-create"), data)
    assert response.context["form"].errors["choices"] == ["A list field needs at least one choice."]
    assert not CustomField.objects.exists()


def test_custom_fields_render_by_their_format(alice_client):
    formats = {
        "date": 'type="date"',
        "boolean": 'type="checkbox"',
        "list": "<select",
        "integer": 'type="number"',
        "email": 'type="email"',
    }
    fields = {
        fmt: CustomField.objects.create(name=f"F {fmt}", field_format=fmt, choices=["A"] if fmt == "list" else [])
        for fmt in formats
    }
    html = alice_client.get(reverse("contacts:contact-create")).content.decode()
    for fmt, marker in formats.items():
        start = html.index(f'name="cf_{fields[fmt].pk}"')
        tag = html[html.rindex("<", 0, start) : html.index(">", start) + 1]
        assert marker in tag, fmt


def test_unknown_pages_are_a_friendly_404(alice_client):
    response = alice_client.get("/contacts/999999/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_merging_a_tag_into_itself_is_refused(make_contact, client, admin_user):
    make_contact(tags=["vip"])
    client.force_login(admin_user)
    vip = Tag.objects.get()
    response = client.post(reverse("tags:tag-merge"), {"source": vip.pk, "target": vip.pk}, follow=True)
    assert "Choose two different tags to merge." in response.content.decode()
    assert Tag.objects.filter(pk=vip.pk).exists()


def test_a_stored_colour_that_is_not_a_hex_colour_never_reaches_a_style(make_contact, alice_client):
    contact = make_contact(tags=["vip"])
    Tag.objects.update(color="red;x:y")
    html = alice_client.get(contact.get_absolute_url()).content.decode()
    assert "red;x:y" not in html
    assert ">vip</a>" in html


def test_password_change_is_linked_from_the_account_page_and_confirms(alice_client, alice):
    account = alice_client.get(reverse("accounts:apikey-detail")).content.decode()
    assert f'href="{reverse("accounts:password-change")}"' in account
    page = alice_client.get(reverse("password_change"))
    assert page.templates[0].name == "registration/password_change_form.html"
    assert 'class="topbar' in page.content.decode()
    data = {
        "old_password": "secret-pass-123",
        "new_password1": "a-Fresh-passphrase-9",
        "new_password2": "a-Fresh-passphrase-9",
    }
    response = alice_client.post(reverse("accounts:password-change"), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:apikey-detail")
    assert "Your password was changed." in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password("a-Fresh-passphrase-9")
    assert alice_client.get("/").status_code == 200


def test_a_wrong_old_password_or_mismatch_shows_the_errors(alice_client, alice):
    url = reverse("accounts:password-change")
    data = {"old_password": "nope", "new_password1": "a-Fresh-passphrase-9", "new_password2": "another-one-1"}
    response = alice_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Your old password was entered incorrectly" in errors["old_password"][0]
    assert errors["new_password2"] == ["The two password fields didn’t match."]
    alice.refresh_from_db()
    assert alice.check_password("secret-pass-123")


def test_password_change_needs_a_signed_in_user(client):
    response = client.get(reverse("accounts:password-change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
