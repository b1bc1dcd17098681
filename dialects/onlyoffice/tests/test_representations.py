"""ONLYOFFICE's wrappers: what the per-combination tables give equals what each item says."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from contacts.models import Address, ContactItem, CustomField
from contacts.rows import AddressRow, CustomValueRow, ItemRow
from dialects.onlyoffice.fields import (
    address_category,
    api_datetime,
    custom_field_mask,
    item_category,
    item_info_type,
)
from dialects.onlyoffice.representations import address, contact_info, custom_value

SERVICES = ("", "skype", "Skype", "telegram", "facebook", "github", "unknown")


def test_an_items_common_data_depends_on_its_kind_type_context_and_service_alone():
    combinations = itertools.product(
        ContactItem.Kind.values, ContactItem.TelType.values, ContactItem.Context.values, SERVICES
    )
    for pk, (kind, tel_type, context, service) in enumerate(combinations, start=1):
        item = ItemRow(pk, 7, kind, tel_type, context, service, f"value {pk}", pk % 2 == 0)
        number, name = item_category(item)
        assert contact_info(item) == {
            "InfoType": item_info_type(item),
            "Category": number,
            "Data": f"value {pk}",
            "CategoryName": name,
            "IsPrimary": pk % 2 == 0,
            "id": pk,
        }


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2020, 12, 8, 17, 37, 4, 120, tzinfo=UTC), "2020-12-08T17:37:04.0001200Z"),
        (datetime(2020, 12, 8, 19, 37, 4, tzinfo=ZoneInfo("Europe/Riga")), "2020-12-08T17:37:04.0000000Z"),
        (datetime(1000, 1, 1, tzinfo=UTC), "1000-01-01T00:00:00.0000000Z"),
        (datetime(999, 1, 1, tzinfo=UTC), "999-01-01T00:00:00.0000000Z"),
        (date(2021, 5, 6), "2021-05-06T00:00:00.0000000Z"),
        (None, None),
    ],
)
def test_api_datetime_is_utc_with_seven_fractional_digits(value, text):
    assert api_datetime(value) == text


def test_a_select_boxs_mask_is_its_choices_as_json_whatever_they_hold():
    listed = CustomField(name="Size", field_format=CustomField.Format.LIST, choices=["S", "Ä", 'a "b"'])
    assert custom_field_mask(listed) == '["S","Ä","a \\"b\\""]'
    assert custom_field_mask(listed) == '["S","Ä","a \\"b\\""]'
    odd = CustomField(name="Odd", field_format=CustomField.Format.LIST, choices=[["x"], {"y": 1}])
    assert custom_field_mask(odd) == '[["x"],{"y":1}]'
    assert custom_field_mask(CustomField(name="Text", field_format=CustomField.Format.STRING)) == ""


def test_values_of_one_field_on_a_page_share_its_type_and_mask_and_keep_their_own_value():
    size = CustomField(pk=3, name="Size", field_format=CustomField.Format.LIST, choices=["S", "M"], position=2)
    note = CustomField(pk=4, name="Note", field_format=CustomField.Format.STRING, position=1)
    values = [
        CustomValueRow(10, 3, "S", size),
        CustomValueRow(11, 3, "M", size),
        CustomValueRow(11, 4, "hello", note),
    ]
    fields: dict[int, tuple[int, str]] = {}
    assert [custom_value(value, fields) for value in values] == [custom_value(value) for value in values]
    assert fields == {
        3: (custom_value(values[0])["FieldType"], '["S","M"]'),
        4: (custom_value(values[2])["FieldType"], ""),
    }
    assert [custom_value(value, fields)["FieldValue"] for value in values] == ["S", "M", "hello"]


def test_an_addresss_category_depends_on_its_context_alone():
    for pk, context in enumerate([*Address.Context.values, "unknown"], start=1):
        row = AddressRow(pk, 7, "1 Main St", "", "Riga", "", "LV-1010", "LV", context, pk == 1, "Latvia")
        category = address_category(row)
        assert address(row)["Category"] == int(category)
        assert address(row)["CategoryName"] == category.label
