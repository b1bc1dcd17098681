"""Queries compiled once and run with new values give what the ORM gives, in one query each."""

from __future__ import annotations

import pytest
from django.db.models import Exists, OuterRef

from contacts.models import ContactItem, CustomField, Tag, WebForm
from contacts.services import webform_create
from crm.prepared import PreparedQuery

pytestmark = pytest.mark.django_db


@pytest.fixture
def forms(project, alice, bob):
    first = webform_create(project=project, name="Leads", created_by=alice, assigned_to=bob)
    second = webform_create(project=project, name="Orders", created_by=alice)
    return first, second


def test_objects_carry_their_related_objects_and_converted_values(forms, django_assert_num_queries):
    query = PreparedQuery(
        lambda key: WebForm.objects.select_related("project", "assigned_to").filter(key=key, is_active=True), "\x00k"
    )
    for form in forms:
        expected = WebForm.objects.select_related("project", "assigned_to").get(pk=form.pk)
        with django_assert_num_queries(1):
            (found,) = query.objects(form.key)
            assert found.project.identifier == expected.project.identifier
            assert found.assigned_to == expected.assigned_to
        assert found.pk == expected.pk and found.fields == expected.fields  # a JSON list, decoded
        assert found.created_at == expected.created_at and found.is_active is True
    assert query.objects("no such key") == []


def test_annotations_are_set_on_the_objects(forms):
    first, second = forms
    plan = CustomField.objects.create(name="Plan", field_format=CustomField.Format.STRING)
    CustomField.objects.create(name="Region", field_format=CustomField.Format.STRING)
    first.custom_fields.add(plan)
    query = PreparedQuery(
        lambda form_id: CustomField.objects.annotate(
            on_form=Exists(
                WebForm.custom_fields.through.objects.filter(webform_id=form_id, customfield_id=OuterRef("pk"))
            )
        ),
        -1,
    )
    assert {field.name: field.on_form for field in query.objects(first.pk)} == {"Plan": True, "Region": False}
    assert {field.name: field.on_form for field in query.objects(second.pk)} == {"Plan": False, "Region": False}


def test_rows_of_a_values_list_are_those_the_orm_reads(make_contact):
    ann = make_contact(first_name="Ann", items=[{"kind": "email", "value": "Ann@X.example"}])
    make_contact(first_name="Bo", items=[{"kind": "email", "value": "bo@x.example"}])
    query = PreparedQuery(
        lambda value: ContactItem.objects.filter(normalized=value).values_list("contact_id", "is_primary"), "\x00v"
    )
    assert query.rows("ann@x.example") == list(
        ContactItem.objects.filter(normalized="ann@x.example").values_list("contact_id", "is_primary")
    )
    assert query.rows("ann@x.example")[0][0] == ann.pk
    with pytest.raises(TypeError):
        query.objects("ann@x.example")


def test_the_queryset_is_built_and_compiled_once(forms):
    built = []

    def build(key: str):
        built.append(key)
        return WebForm.objects.filter(key=key)

    query = PreparedQuery(build, "\x00k")
    assert [form.name for form in query.objects(forms[0].key)] == ["Leads"]
    assert [form.name for form in query.objects(forms[1].key)] == ["Orders"]
    assert built == ["\x00k"]


def test_first_is_the_one_object_or_none(forms, django_assert_num_queries):
    query = PreparedQuery(lambda key: WebForm.objects.filter(key=key)[:1], "\x00k")
    with django_assert_num_queries(1):
        assert query.first(forms[1].key).name == "Orders"
    with django_assert_num_queries(1):
        assert query.first("no such key") is None


def test_a_lookup_that_rewrites_its_value_is_refused():
    Tag.objects.create(name="vip")
    query = PreparedQuery(lambda name: Tag.objects.filter(name__icontains=name), "\x00n")
    with pytest.raises(ValueError, match="once, unchanged"):
        query.objects("vip")


def test_an_api_key_is_read_with_its_user_in_one_query_compiled_once(
    alice, bob, monkeypatch, django_assert_num_queries
):
    from django.db.models.sql.compiler import SQLCompiler

    from contacts.models import ApiKey
    from contacts.selectors import apikey_get

    keys = {user.username: ApiKey.objects.create(user=user).key for user in (alice, bob)}
    apikey_get(key=keys["alice"])  # compiled here, if not by an earlier test of this process
    compiled = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or original(self, *a, **k))
    for username, key in keys.items():
        with django_assert_num_queries(1):
            found = apikey_get(key=key)
            assert found.user.username == username
    assert compiled == []
    assert apikey_get(key="no such key") is None
    assert apikey_get(key=keys["alice"] + "\x00") is None and apikey_get(key="") is None
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    assert apikey_get(key=keys["bob"]) is None
