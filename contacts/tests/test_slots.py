"""Items in named slots: where unslotted items are shown, and slotted writes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from contacts.models import ContactItem
from contacts.services import DuplicateKeyError, contact_create, contact_create_slotted, contact_update_slotted
from contacts.slots import Slot, assign_slots

LAYOUT = (
    Slot("phone", "tel", "voice", is_primary=True),
    Slot("phone2", "tel", "voice"),
    Slot("cell", "tel", "cell"),
    Slot("mail", "email"),
)


def item(kind: str, value: str, tel_type: str = "", slot: str = "") -> dict:
    return {"kind": kind, "tel_type": tel_type, "value": value, "slot": slot}


def test_slotted_items_keep_their_slot_and_unslotted_ones_fill_free_slots_in_order():
    items = [
        item("tel", "1", "voice"),
        item("tel", "2", "voice", slot="phone"),
        item("tel", "3", "cell"),
        item("tel", "4", "fax"),
        item("tel", "5", "pager"),
        item("email", "a@x.org"),
        item("email", "b@x.org"),
        item("url", "https://x.org"),
    ]
    taken = {name: row["value"] for name, row in assign_slots(items, LAYOUT).items()}
    assert taken == {"phone": "2", "phone2": "1", "cell": "3", "mail": "a@x.org"}


def test_an_item_naming_an_unknown_or_taken_slot_is_not_shown_twice():
    items = [
        item("tel", "1", "voice", slot="phone"),
        item("tel", "2", "voice", slot="phone"),
        item("tel", "3", slot="x"),
    ]
    assert {name: row["value"] for name, row in assign_slots(items, LAYOUT).items()} == {"phone": "1"}


@pytest.mark.django_db
def test_slotted_create_makes_one_item_per_slot_with_its_kind_and_order(alice):
    contact = contact_create_slotted(
        user=alice,
        fields={"last_name": "Slots"},
        layout=LAYOUT,
        slots={"mail": "s@x.org", "phone": "+1 202 555 0100", "cell": ""},
    )
    rows = list(contact.items.values_list("slot", "kind", "tel_type", "is_primary", "position"))
    assert rows == [("phone", "tel", "voice", True, 0), ("mail", "email", "", False, 3)]


@pytest.mark.django_db
def test_slotted_update_pins_shown_items_so_clearing_one_moves_no_other(alice, project):
    contact = contact_create(
        user=alice,
        fields={"last_name": "Ui"},
        items=[{"kind": "tel", "value": "+1 202 555 0101"}, {"kind": "tel", "value": "+1 202 555 0102"}],
        projects=[project],
    )
    contact_update_slotted(contact=contact, user=alice, fields={}, layout=LAYOUT, slots={"phone": ""})
    assert list(contact.items.values_list("slot", "value")) == [("phone2", "+1 202 555 0102")]


@pytest.mark.django_db
def test_slotted_update_is_all_or_nothing(alice):
    contact = contact_create_slotted(user=alice, fields={"last_name": "A"}, layout=LAYOUT, slots={"mail": "a@x.org"})
    with pytest.raises(ValidationError) as caught:
        contact_update_slotted(
            contact=contact, user=alice, fields={"department": "X"}, layout=LAYOUT, slots={"mail": "", "cell": "bad"}
        )
    assert "cell.value" in caught.value.message_dict
    contact.refresh_from_db()
    assert contact.department == "" and list(contact.items.values_list("value", flat=True)) == ["a@x.org"]


@pytest.mark.django_db
def test_slotted_update_needs_the_right_to_edit(alice, outsider, make_contact):
    contact = make_contact(visibility="private")
    with pytest.raises(PermissionDenied):
        contact_update_slotted(contact=contact, user=outsider, fields={}, layout=LAYOUT, slots={"mail": "a@x.org"})
    assert not ContactItem.objects.exists()


@pytest.mark.django_db
def test_a_taken_uuid_is_a_duplicate_key(alice):
    first = contact_create_slotted(user=alice, fields={"last_name": "A"}, layout=LAYOUT, slots={})
    with pytest.raises(DuplicateKeyError):
        contact_create_slotted(user=alice, fields={"last_name": "B"}, layout=LAYOUT, slots={}, uuid=first.uuid)
