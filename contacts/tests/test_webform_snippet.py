"""The generated snippet: labelled inputs of the right types, required ones marked, a "Send" button,
the honeypot, and the optional script."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from contacts.models import CustomField
from contacts.services import webform_create
from contacts.webforms import webform_snippet

pytestmark = pytest.mark.django_db


class Inputs(HTMLParser):
    """The snippet's inputs by name, its labels' `for` targets and its script sources."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.scripts: list[str] = []
        self.form: dict[str, str | None] = {}
        self.open_labels = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.form = attributes
        elif tag == "label":
            self.open_labels += 1
            if attributes.get("for"):
                self.label_for.add(attributes["for"] or "")
        elif tag in ("input", "select", "textarea"):
            self.inputs.append({"tag": tag, "in_label": str(self.open_labels > 0), **attributes})
        elif tag == "script":
            self.scripts.append(attributes.get("src") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.open_labels -= 1


def parse(html: str) -> Inputs:
    parser = Inputs()
    parser.feed(html)
    return parser


@pytest.fixture
def fields(db):
    return [
        CustomField.objects.create(name="License", field_format=CustomField.Format.LIST, choices=["Basic", "Pro"]),
        CustomField.objects.create(name="Start", field_format=CustomField.Format.DATE, is_required=True),
        CustomField.objects.create(name="Seats", field_format=CustomField.Format.INTEGER),
    ]


@pytest.fixture
def form(project, fields):
    webform = webform_create(
        project=project,
        name="Leads",
        allowed_fields=["first_name", "email", "phone", "website", "background"],
    )
    webform.custom_fields.add(*fields)
    return webform


def by_name(parsed: Inputs, name: str) -> dict[str, str | None]:
    return next(i for i in parsed.inputs if i.get("name") == name)


def test_inputs_have_the_types_of_their_fields(form):
    parsed = parse(webform_snippet(form, base_url="https://crm.example/"))
    assert by_name(parsed, "contact[email]")["type"] == "email"
    assert by_name(parsed, "contact[phone]")["type"] == "tel"
    assert by_name(parsed, "contact[website]")["type"] == "url"
    assert by_name(parsed, "contact[background]")["tag"] == "textarea"
    values = [i for i in parsed.inputs if i.get("name") == "contact[custom_fields][][value]"]
    assert [(v["tag"], v.get("type")) for v in values] == [("select", None), ("input", "date"), ("input", "number")]


def test_required_fields_are_marked_required(form):
    parsed = parse(webform_snippet(form, base_url="https://crm.example/"))
    required = {i["id"] for i in parsed.inputs if "required" in i}
    prefix = f"crm-{form.key[:8]}"
    start = CustomField.objects.get(name="Start")
    # The form has a first name and no last name: the first name is what a person needs.
    assert required == {f"{prefix}-first_name", f"{prefix}-cf{start.pk}"}


def test_with_both_names_neither_is_required_since_either_will_do(project):
    form = webform_create(project=project, name="Both", allowed_fields=["first_name", "last_name"])
    parsed = parse(webform_snippet(form, base_url="https://crm.example/"))
    assert not [i for i in parsed.inputs if "required" in i]


def test_every_input_a_visitor_fills_has_a_label(form):
    parsed = parse(webform_snippet(form, base_url="https://crm.example/"))
    visible = [i for i in parsed.inputs if i.get("type") not in ("hidden", "submit")]
    assert len(visible) == 9  # five fields, three custom fields and the honeypot
    assert all(i.get("id") in parsed.label_for or i["in_label"] == "True" for i in visible)


def test_the_button_says_send_and_the_honeypot_is_there(form):
    html = webform_snippet(form, base_url="https://crm.example/")
    parsed = parse(html)
    assert by_name(parsed, "commit")["value"] == "Send"
    assert "Save" not in html
    honeypot = by_name(parsed, form.honeypot_field)
    assert (honeypot["tabindex"], honeypot["autocomplete"]) == ("-1", "off")


def test_the_script_is_loaded_only_when_the_form_asks_for_it(form):
    assert parse(webform_snippet(form, base_url="https://crm.example/")).scripts == []
    form.use_script = True
    form.thanks_text = 'Thanks & "see you"'
    form.save()
    parsed = parse(webform_snippet(form, base_url="https://crm.example/"))
    assert parsed.scripts == ["https://crm.example/static/js/webform.js"]
    assert "data-crm-webform" in parsed.form
    assert parsed.form["data-thanks"] == 'Thanks & "see you"'


def test_a_form_needs_a_name_field(project):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        webform_create(project=project, name="No name", allowed_fields=["email"])
    assert "allowed_fields" in caught.value.message_dict
