"""The embeddable web-form snippet follows the Redmine plugin's form (docs/redmine.md, "Web forms")."""

from __future__ import annotations

import pytest

from contacts.models import CustomField, WebForm
from contacts.webforms import webform_snippet

pytestmark = pytest.mark.django_db


def test_snippet_posts_to_the_intake_with_the_form_key_and_project(project):
    field = CustomField.objects.create(name="License")
    form = WebForm.objects.create(project=project, name="Leads", redirect_url="https://shop.example/thanks")
    form.custom_fields.add(field)
    html = webform_snippet(form, base_url="https://crm.example/")
    assert f'action="https://crm.example/forms/{form.key}/"' in html
    assert f'name="key" type="hidden" value="{form.key}"' in html
    assert 'name="project_id" type="hidden" value="support"' in html
    assert 'name="redirect_on_success" type="hidden" value="https://shop.example/thanks"' in html
    for name in ("first_name", "last_name", "company", "phone", "email"):
        assert f'name="contact[{name}]"' in html
    assert f'name="contact[custom_fields][][id]" type="hidden" value="{field.pk}"' in html
    assert 'name="contact[custom_fields][][value]"' in html
    assert 'name="website_url"' in html


def test_webform_refuses_unknown_fields(project):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        WebForm(project=project, name="x", allowed_fields=["password"]).full_clean()
