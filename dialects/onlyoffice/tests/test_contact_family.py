"""The rest of the contact family (docs/onlyoffice.md, "Contacts"): merge, delete and tag by filter, quick create,
data by type, tag groups, statuses by kind, custom field order and photos."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from contacts.models import Contact, ContactStage, CustomField, CustomValue, Note
from contacts.services import MAX_AVATAR_BYTES
from dialects.onlyoffice.authentication import OnlyofficeTokenAuthentication

pytestmark = pytest.mark.django_db

# The token's user, the matches (rights and company visibility in the same query) and their 6
# prefetches (items, addresses, custom values, tags, projects, access lists), then the delete:
# its rights check, the one UPDATE that moves them all to the trash and the history insert.
NUM_DELETE_QUERIES = 13


def png(size: tuple[int, int] = (4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# Merge


def test_merge_moves_everything_onto_the_target_without_duplicating_items(api, make_contact, license_field, alice):
    birthday = CustomField.objects.create(name="Birthday", field_format=CustomField.Format.DATE)
    source = make_contact(
        first_name="Ann",
        items=[{"kind": "email", "value": "ann@example.com"}, {"kind": "tel", "value": "+371 20 000 000"}],
        addresses=[{"street1": "Brivibas 1", "country": "LV"}],
        custom_values={license_field.pk: "Basic", birthday.pk: "1990-01-02"},
        tags=["fair"],
    )
    target = make_contact(
        first_name="Anna",
        items=[{"kind": "email", "value": "ann@example.com"}],
        custom_values={license_field.pk: "Pro"},
        tags=["vip"],
    )
    Note.objects.create(contact=source, author=alice, content="Met")
    response = api("PUT", "crm/contact/merge", {"fromcontactid": source.pk, "tocontactid": target.pk})
    assert response.status_code == 200, response.content
    merged = response.json()["response"]
    assert merged["id"] == target.pk and merged["FirstName"] == "Anna"
    assert [d["Data"] for d in merged["CommonData"]] == ["ann@example.com", "+371 20 000 000"]
    assert merged["Tags"] == ["fair", "vip"]
    assert [a["Street"] for a in merged["Addresses"]] == ["Brivibas 1"]
    values = dict(CustomValue.objects.filter(contact=target).values_list("field__name", "value"))
    assert values == {"License": "Pro", "Birthday": "1990-01-02"}
    assert list(target.notes.values_list("content", flat=True)) == ["Met"]
    assert Contact.objects.get(pk=source.pk).deleted_at is not None  # in the trash


def test_merge_of_companies_moves_their_people(api, make_contact):
    old, new = make_contact(is_company=True, name="Old"), make_contact(is_company=True, name="New")
    person = make_contact(company=old)
    response = api("PUT", "crm/contact/merge", {"fromcontactid": old.pk, "tocontactid": new.pk})
    assert response.json()["response"]["PersonsCount"] == 1
    person.refresh_from_db()
    assert person.company_id == new.pk


def test_merge_refuses_a_person_into_a_company_and_changes_nothing(api, make_contact):
    person, company = make_contact(), make_contact(is_company=True, name="Acme")
    response = api("PUT", "crm/contact/merge", {"fromcontactid": person.pk, "tocontactid": company.pk})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "A person and a company cannot be merged"
    assert Contact.objects.filter(pk=person.pk).exists()


def test_merge_needs_the_right_to_delete_the_source(api, make_contact, bob):
    source, target = make_contact(), make_contact(first_name="Eve")
    response = api.as_user(bob)("PUT", "crm/contact/merge", {"fromcontactid": source.pk, "tocontactid": target.pk})
    assert response.status_code == 403
    assert Contact.objects.filter(pk=source.pk).exists()


# Delete by filter


def test_delete_by_filter_deletes_every_match_and_answers_with_them(api, make_contact):
    for n in range(3):
        make_contact(first_name=f"Vip{n}", tags=["vip"])
    kept = make_contact(first_name="Plain")
    response = api("DELETE", "crm/contact/filter?tags=vip&count=1")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 3 and "total" not in body
    assert sorted(c["DisplayName"] for c in body["response"]) == ["Vip0 Lovelace", "Vip1 Lovelace", "Vip2 Lovelace"]
    assert "CommonData" not in body["response"][0]
    assert list(Contact.objects.filter(deleted_at__isnull=True).values_list("pk", flat=True)) == [kept.pk]


def test_delete_by_filter_deletes_nothing_when_one_match_is_refused(api, make_contact, bob):
    make_contact(first_name="Mine", tags=["vip"], user=bob)
    make_contact(first_name="Alices", tags=["vip"])
    response = api.as_user(bob)("DELETE", "crm/contact/filter", {"tags": ["vip"]})
    assert response.status_code == 403
    assert Contact.objects.count() == 2


@pytest.mark.parametrize("count", [1, 20])
def test_delete_by_filter_costs_the_same_queries_for_1_or_20_contacts(
    count, api, make_contact, license_field, django_assert_num_queries
):
    acme = make_contact(is_company=True, name="Acme")
    for n in range(count):
        make_contact(
            first_name=f"P{n}",
            company=acme,
            tags=["vip"],
            items=[{"kind": "email", "value": f"p{n}@example.com"}],
            custom_values={license_field.pk: "Pro"},
        )
    with django_assert_num_queries(NUM_DELETE_QUERIES):
        response = api("DELETE", "crm/contact/filter", {"tags": "vip"})
    assert response.json()["count"] == count


# Quick create


def test_quick_persons_are_created_all_at_once(api, alice):
    body = {"data": [{"key": "Ann", "value": "Zeta"}, {"key": "Bea", "value": "Young"}]}
    response = api("POST", "crm/contact/person/quick", body)
    assert response.status_code == 201, response.content
    assert [c["DisplayName"] for c in response.json()["response"]] == ["Ann Zeta", "Bea Young"]
    assert set(Contact.objects.values_list("first_name", "last_name", "author")) == {
        ("Ann", "Zeta", alice.pk),
        ("Bea", "Young", alice.pk),
    }


def test_quick_persons_take_indexed_form_fields(api):
    body = {"data[0][key]": "Ann", "data[0][value]": "Zeta"}
    response = api("POST", "crm/contact/person/quick", body, form=True)
    assert response.status_code == 201, response.content
    assert response.json()["response"][0]["DisplayName"] == "Ann Zeta"


def test_quick_persons_create_none_when_one_is_invalid(api):
    body = {"data": [{"key": "Ann", "value": "Zeta"}, {"key": "Bea", "value": ""}]}
    response = api("POST", "crm/contact/person/quick", body)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "data may not be blank"
    assert not Contact.objects.exists()


def test_quick_companies_are_created_from_their_names(api):
    response = api("POST", "crm/contact/company/quick", {"companyName": ["Acme", "Globex"]})
    assert response.status_code == 201, response.content
    assert [(c["DisplayName"], c["IsCompany"]) for c in response.json()["response"]] == [
        ("Acme", True),
        ("Globex", True),
    ]


def test_quick_companies_refuse_a_blank_name_and_create_none(api):
    response = api("POST", "crm/contact/company/quick", {"companyName": ["Acme", " "]})
    assert response.status_code == 400
    assert not Contact.objects.exists()


# Data by InfoType


def test_data_by_type_lists_the_plain_values_of_that_type(api, make_contact):
    contact = make_contact(
        items=[
            {"kind": "email", "value": "a@example.com"},
            {"kind": "tel", "value": "+371 20 000 000"},
            {"kind": "email", "value": "b@example.com"},
        ],
        addresses=[{"street1": "Brivibas 1", "city": "Riga", "country": "LV"}],
    )
    assert api("GET", f"crm/contact/{contact.pk}/data/Email").json()["response"] == ["a@example.com", "b@example.com"]
    assert api("GET", f"crm/contact/{contact.pk}/data/phone").json()["response"] == ["+371 20 000 000"]
    assert api("GET", f"crm/contact/{contact.pk}/data/Skype").json()["response"] == []
    address = json.loads(api("GET", f"crm/contact/{contact.pk}/data/Address").json()["response"][0])
    assert address == {"street": "Brivibas 1", "city": "Riga", "state": "", "zip": "", "country": "Latvia"}


def test_data_by_number_is_still_one_item_by_id(api, make_contact):
    contact = make_contact(items=[{"kind": "email", "value": "a@example.com"}])
    item = contact.items.get()
    assert api("GET", f"crm/contact/{contact.pk}/data/{item.pk}").json()["response"]["Data"] == "a@example.com"


def test_data_by_unknown_type_name_is_404(api, make_contact):
    contact = make_contact()
    response = api("GET", f"crm/contact/{contact.pk}/data/Fax")
    assert response.status_code == 404 and response.json()["status"] == 1


# Tag groups


@pytest.fixture
def circle(make_contact):
    acme = make_contact(is_company=True, name="Acme")
    return {
        "acme": acme,
        "ann": make_contact(first_name="Ann", company=acme),
        "bea": make_contact(first_name="Bea", company=acme),
        "loner": make_contact(first_name="Loner"),
    }


def tagged(tag: str) -> set[str]:
    return set(Contact.objects.filter(tags__name=tag).values_list("display_name", flat=True))


def test_company_tag_group_tags_the_company_and_its_people(api, circle):
    response = api("POST", f"crm/company/{circle['acme'].pk}/tag/group", {"tagName": "Fair"})
    assert response.status_code == 201 and response.json()["response"] == "Fair"
    assert tagged("Fair") == {"Acme", "Ann Lovelace", "Bea Lovelace"}


def test_person_tag_group_tags_the_company_and_the_colleagues(api, circle):
    api("POST", f"crm/person/{circle['ann'].pk}/tag/group", {"tagName": "Fair"})
    assert tagged("Fair") == {"Acme", "Ann Lovelace", "Bea Lovelace"}
    api("POST", f"crm/person/{circle['loner'].pk}/tag/group", {"tagName": "Solo"})
    assert tagged("Solo") == {"Loner Lovelace"}


def test_tag_group_delete_untags_the_whole_circle(api, circle):
    api("POST", f"crm/company/{circle['acme'].pk}/tag/group", {"tagName": "Fair"})
    response = api("DELETE", f"crm/person/{circle['bea'].pk}/tag/group", {"tagName": "fair"})
    assert response.status_code == 200 and response.json()["response"] == "Fair"
    assert tagged("Fair") == set()


def test_tag_group_of_a_person_under_the_company_route_is_404(api, circle):
    assert api("POST", f"crm/company/{circle['ann'].pk}/tag/group", {"tagName": "Fair"}).status_code == 404


def test_tag_group_tags_nobody_when_one_of_the_circle_may_not_be_edited(
    api, circle, make_contact, outsider, other_project
):
    make_contact(
        first_name="Foreign", company=circle["acme"], user=outsider, visibility="public", projects=[other_project]
    )
    response = api("POST", f"crm/company/{circle['acme'].pk}/tag/group", {"tagName": "Fair"})
    assert response.status_code == 403
    assert tagged("Fair") == set()


# Custom field order


def test_reorder_numbers_the_fields_in_the_order_given(api, admin_user):
    a, b, c = (CustomField.objects.create(name=n, position=5) for n in "ABC")
    response = api.as_user(admin_user)("PUT", "crm/contact/customfield/reorder", {"fieldids": [c.pk, a.pk, b.pk]})
    assert response.status_code == 200, response.content
    assert [(f["Label"], f["Position"]) for f in response.json()["response"]] == [("C", 0), ("A", 1), ("B", 2)]
    assert list(CustomField.objects.order_by("position").values_list("name", flat=True)) == ["C", "A", "B"]


def test_reorder_is_for_administrators(api):
    field = CustomField.objects.create(name="A", position=5)
    assert api("PUT", "crm/contact/customfield/reorder", {"fieldids": [field.pk]}).status_code == 403
    field.refresh_from_db()
    assert field.position == 5


def test_reorder_of_a_field_of_another_entity_is_404(api, admin_user):
    field = CustomField.objects.create(name="A", applies_to=CustomField.AppliesTo.COMPANIES)
    response = api.as_user(admin_user)("PUT", "crm/person/customfield/reorder", {"fieldids": [field.pk]})
    assert response.status_code == 404


# Photos


def put_photo(client, contact, content: bytes, name: str = "face.png", user=None):
    token = OnlyofficeTokenAuthentication.issue(user=user or contact.author)[0]
    return client.put(
        f"/api/2.0/crm/contact/{contact.pk}/changephoto",
        data=encode_multipart(BOUNDARY, {"photo": SimpleUploadedFile(name, content)}),
        content_type=MULTIPART_CONTENT,
        HTTP_AUTHORIZATION=token,
    )


def test_changephoto_stores_the_avatar_and_answers_its_url(client, api, make_contact, media):
    contact = make_contact()
    response = put_photo(client, contact, png())
    assert response.status_code == 200, response.content
    url = response.json()["response"]
    contact.refresh_from_db()
    assert contact.avatar.name.endswith(f"/{contact.pk}.png")
    assert url == f"http://testserver/media/{contact.avatar.name}"
    assert (media / contact.avatar.name).read_bytes() == png()
    detail = api("GET", f"crm/contact/{contact.pk}").json()["response"]
    assert detail["SmallFotoUrl"] == detail["MediumFotoUrl"] == url


def test_changephoto_replaces_the_previous_file(client, make_contact, media, django_capture_on_commit_callbacks):
    contact = make_contact()
    with django_capture_on_commit_callbacks(execute=True):
        put_photo(client, contact, png(), name="one.png")
    contact.refresh_from_db()
    first = contact.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        put_photo(client, contact, png((8, 8)), name="two.jpg")
    assert not (media / first).exists()


def test_changephoto_names_the_file_by_its_content_not_by_the_upload(client, make_contact, media):
    contact = make_contact()
    put_photo(client, contact, png(), name="face.jpg")
    contact.refresh_from_db()
    assert contact.avatar.name.endswith(f"/{contact.pk}.png")


def test_changephoto_refuses_what_is_not_an_image(client, make_contact, media):
    contact = make_contact()
    response = put_photo(client, contact, b"not an image at all", name="face.png")
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("photo: Upload a valid image")
    contact.refresh_from_db()
    assert not contact.avatar


def test_changephoto_refuses_a_large_file(client, make_contact, media):
    contact = make_contact()
    response = put_photo(client, contact, png() + b"\0" * MAX_AVATAR_BYTES)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "photo: The image is larger than 2 MB"
    contact.refresh_from_db()
    assert not contact.avatar


def test_changephoto_needs_the_right_to_edit(client, make_contact, media, outsider):
    contact = make_contact(visibility="public")
    response = put_photo(client, contact, png(), user=outsider)
    assert response.status_code == 403


def test_changephotobyurl_is_refused_with_a_reason(api, make_contact):
    contact = make_contact()
    response = api("PUT", f"crm/contact/{contact.pk}/changephotobyurl", {"photourl": "https://example.com/a.png"})
    assert response.status_code == 400
    assert "not fetched" in response.json()["error"]["message"]


def test_quick_create_takes_at_most_100_contacts(api):
    response = api("POST", "crm/contact/company/quick", {"companyName": [f"C{n}" for n in range(101)]})
    assert response.status_code == 400
    assert not Contact.objects.exists()


# Tags and statuses by filter or kind


def test_filter_taglist_tags_every_match(api, make_contact):
    make_contact(first_name="Ann", tags=["vip"])
    make_contact(first_name="Bea", tags=["vip"])
    make_contact(first_name="Cid")
    response = api("POST", "crm/contact/filter/taglist", {"tags": ["vip"], "tagName": "Fair"})
    assert response.status_code == 201 and response.json()["response"] == "Fair"
    assert tagged("Fair") == {"Ann Lovelace", "Bea Lovelace"}


def test_filter_taglist_tags_nobody_when_one_match_may_not_be_edited(api, make_contact, outsider, other_project):
    make_contact(first_name="Ann", tags=["vip"])
    make_contact(first_name="Foreign", tags=["vip"], user=outsider, visibility="public", projects=[other_project])
    response = api("POST", "crm/contact/filter/taglist", {"tags": ["vip"], "tagName": "Fair"})
    assert response.status_code == 403
    assert tagged("Fair") == set()


def test_status_by_kind_refuses_the_other_kind(api, make_contact):
    hot = ContactStage.objects.get(name="Hot")
    person, company = make_contact(), make_contact(is_company=True, name="Acme")
    response = api("PUT", f"crm/contact/person/{person.pk}/status", {"contactStatusid": hot.pk})
    assert response.status_code == 200 and response.json()["response"]["ContactStatus"]["Title"] == "Hot"
    assert api("PUT", f"crm/contact/person/{company.pk}/status", {"contactStatusid": hot.pk}).status_code == 404
    assert api("PUT", f"crm/contact/company/{company.pk}/status", {"contactStatusid": hot.pk}).status_code == 200


def test_filter_access_sets_the_access_of_every_match_and_ignores_isshared_as_a_filter(api, make_contact):
    make_contact(first_name="Ann", tags=["vip"], visibility="project")
    make_contact(first_name="Bea", tags=["vip"], visibility="public")
    make_contact(first_name="Cid", visibility="project")
    response = api("PUT", "crm/contact/filter/access", {"tags": ["vip"], "isShared": True})
    assert response.status_code == 200, response.content
    assert sorted(c["DisplayName"] for c in response.json()["response"]) == ["Ann Lovelace", "Bea Lovelace"]
    assert dict(Contact.objects.values_list("first_name", "visibility")) == {
        "Ann": "public",
        "Bea": "public",
        "Cid": "project",
    }


def test_filter_access_changes_nobody_when_one_match_may_not_be_edited(api, make_contact, outsider, other_project):
    make_contact(first_name="Ann", tags=["vip"], visibility="project")
    make_contact(first_name="Foreign", tags=["vip"], user=outsider, visibility="public", projects=[other_project])
    response = api("PUT", "crm/contact/filter/access", {"tags": ["vip"], "isPrivate": True})
    assert response.status_code == 403
    assert not Contact.objects.filter(visibility="private").exists()
