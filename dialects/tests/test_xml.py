"""XmlShape: rendering, parsing as its exact inverse, and refusing unsafe or oversized input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dialects.xml import Array, Element, Leaf, XmlError, XmlShape, XmlTooLarge, parse_tree

AUTHOR = Element("author", "author", (Leaf("id", type=int, attribute=True), Leaf("name", attribute=True)))
CUSTOM_FIELD = Element(
    "custom_field",
    "custom_field",
    (
        Leaf("id", type=int, attribute=True),
        Leaf("name", attribute=True),
        Leaf("multiple", type=bool, attribute=True),
        Array("value", "value", Leaf("value"), scalar_ok=True),
    ),
)
CONTACT = Element(
    "contact",
    "contact",
    (
        Leaf("id", type=int),
        Leaf("is_company", type=bool),
        Leaf("first_name"),
        Leaf("last_name"),
        Leaf("postcode"),
        Leaf("price", type=Decimal),
        AUTHOR,
        Array("phones", "phones", Leaf("phone")),
        Array("custom_fields", "custom_fields", CUSTOM_FIELD),
    ),
)
META = (Leaf("offset", type=int), Leaf("limit", type=int), Leaf("total_count", type=int))
SINGLE = XmlShape(root=CONTACT)
LIST = XmlShape(root=Array("contacts", "contacts", CONTACT, meta=META))
DECL = '<?xml version="1.0" encoding="UTF-8"?>'

ADA = {
    "id": 1,
    "is_company": False,
    "first_name": "Ada",
    "last_name": None,
    "postcode": "01234",
    "price": Decimal("10.50"),
    "author": {"id": 4, "name": "Kirill & Co"},
    "phones": ["+1 003 322 43 23", "+7 495"],
    "custom_fields": [
        {"id": 1, "name": "License", "value": "Pro"},
        {"id": 2, "name": "Colours", "multiple": True, "value": ["red", "blue"]},
    ],
}


def test_renders_a_single_object_with_attributes_arrays_and_null():
    assert SINGLE.render({"contact": ADA}).decode() == (
        f"{DECL}<contact><id>1</id><is_company>false</is_company><first_name>Ada</first_name>"
        "<last_name/><postcode>01234</postcode><price>10.50</price>"
        '<author id="4" name="Kirill &amp; Co"/>'
        '<phones type="array"><phone>+1 003 322 43 23</phone><phone>+7 495</phone></phones>'
        '<custom_fields type="array"><custom_field id="1" name="License"><value>Pro</value></custom_field>'
        '<custom_field id="2" name="Colours" multiple="true"><value type="array"><value>red</value>'
        "<value>blue</value></value></custom_field></custom_fields></contact>"
    )


def test_parse_is_the_exact_inverse_of_render():
    data = {"contact": ADA}
    assert SINGLE.parse(SINGLE.render(data)) == data


def test_list_root_carries_meta_attributes_and_round_trips():
    data = {"contacts": [ADA, {"id": 2, "first_name": ""}], "offset": 0, "limit": 25, "total_count": 2}
    body = LIST.render(data).decode()
    assert body.startswith(f'{DECL}<contacts type="array" offset="0" limit="25" total_count="2"><contact>')
    assert "<first_name></first_name>" in body
    assert LIST.parse(body.encode()) == data


def test_empty_list_is_written_open_and_closed_and_read_back_empty():
    data = {"contacts": [], "offset": 0, "limit": 25, "total_count": 0}
    body = LIST.render(data)
    assert body.decode().endswith('<contacts type="array" offset="0" limit="25" total_count="0"></contacts>')
    assert LIST.parse(body) == data


def test_absent_keys_are_left_out_and_stay_absent():
    data = {"contacts": [{"id": 3}]}
    assert LIST.render(data).decode() == f'{DECL}<contacts type="array"><contact><id>3</id></contact></contacts>'
    assert LIST.parse(LIST.render(data)) == data


def test_null_and_empty_string_differ_on_the_wire_and_back():
    assert SINGLE.parse(b"<contact><first_name/><last_name></last_name></contact>") == {
        "contact": {"first_name": None, "last_name": ""}
    }


def test_strings_stay_strings_unless_the_shape_declares_a_type():
    parsed = SINGLE.parse(b"<contact><id>7</id><postcode>01234</postcode><first_name>true</first_name></contact>")
    assert parsed == {"contact": {"id": 7, "postcode": "01234", "first_name": "true"}}


def test_text_that_does_not_convert_stays_a_string_for_the_serializer_to_refuse():
    parsed = SINGLE.parse(b"<contact><id>seven</id><is_company>maybe</is_company></contact>")
    assert parsed == {"contact": {"id": "seven", "is_company": "maybe"}}


def test_vendor_spelling_options_for_booleans_and_empty_tags():
    shape = XmlShape(
        root=Element(None, "result", (Leaf("IsCompany", type=bool), Leaf("City"), Leaf("Zip"))),
        true_text="True",
        false_text="False",
        empty_string_self_closes=True,
        space_before_slash=True,
        declaration="",
    )
    body = shape.render({"IsCompany": True, "City": "", "Zip": None})
    assert body == b"<result><IsCompany>True</IsCompany><City /><Zip /></result>"
    assert shape.parse(body) == {"IsCompany": True, "City": "", "Zip": ""}


def test_repeated_siblings_without_a_wrapper_round_trip():
    tag = Element(None, "result", (Leaf("status", type=int), Array("Tags", "Tags", Leaf("Tags"), repeated=True)))
    shape = XmlShape(root=tag, declaration="")
    data = {"status": 0, "Tags": ["Tag1", "Tag2"]}
    assert shape.render(data) == b"<result><status>0</status><Tags>Tag1</Tags><Tags>Tag2</Tags></result>"
    assert shape.parse(shape.render(data)) == data


def test_escapes_text_and_attributes_and_drops_characters_xml_cannot_carry():
    data = {"contact": {"first_name": 'a<b>&"c"\x01', "author": {"id": 1, "name": 'x"\ny'}}}
    body = SINGLE.render(data)
    assert b'<first_name>a&lt;b&gt;&amp;"c"</first_name>' in body
    assert b'name="x&quot;&#10;y"' in body
    assert SINGLE.parse(body) == {"contact": {"first_name": 'a<b>&"c"', "author": {"id": 1, "name": 'x"\ny'}}}


def test_unknown_elements_are_ignored():
    assert SINGLE.parse(b"<contact><id>1</id><password>x</password></contact>") == {"contact": {"id": 1}}


def test_refuses_another_root_element():
    with pytest.raises(XmlError, match="Expected <contact>"):
        SINGLE.parse(b"<person/>")


@pytest.mark.parametrize(
    "body",
    [
        b"<contact><first_name>x</contact>",
        b"not xml at all",
        b"",
        b"<contact>",
    ],
)
def test_refuses_malformed_xml(body):
    with pytest.raises(XmlError):
        SINGLE.parse(body)


def test_refuses_the_billion_laughs():
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<contact><first_name>&lol3;</first_name></contact>"""
    with pytest.raises(XmlError, match="refused"):
        SINGLE.parse(bomb)


def test_refuses_an_external_entity():
    xxe = b"""<?xml version="1.0"?><!DOCTYPE c [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<contact><first_name>&xxe;</first_name></contact>"""
    with pytest.raises(XmlError, match="refused"):
        SINGLE.parse(xxe)


def test_refuses_any_dtd():
    with pytest.raises(XmlError, match="refused"):
        SINGLE.parse(b'<!DOCTYPE contact SYSTEM "http://example.com/x.dtd"><contact/>')


def test_refuses_an_oversized_body_before_parsing(settings):
    settings.API_MAX_BODY_BYTES = 50
    with pytest.raises(XmlTooLarge):
        SINGLE.parse(b"<contact><first_name>" + b"x" * 100 + b"</first_name></contact>")
    with pytest.raises(XmlTooLarge):
        parse_tree(b"<" * 51)


def test_reads_non_ascii_text():
    data = {"contact": {"first_name": "Zoë 北京"}}
    assert SINGLE.parse(SINGLE.render(data)) == data


def test_a_key_the_shape_does_not_name_raises_in_strict_mode():
    # dialects/conftest.py turns strict mode on for every dialect test.
    with pytest.raises(ValueError, match="nickname"):
        SINGLE.render({"contact": {**ADA, "nickname": "Countess"}})


def test_a_meta_key_the_list_does_not_name_raises_in_strict_mode():
    with pytest.raises(ValueError, match="page"):
        LIST.render({"contacts": [], "total_count": 0, "page": 2})


def test_unknown_keys_are_left_out_when_strict_mode_is_off(monkeypatch):
    from dialects.xml import writer

    monkeypatch.setattr(writer, "STRICT_KEYS", False)
    assert (
        SINGLE.render({"contact": {"id": 1, "nickname": "Countess"}}) == f"{DECL}<contact><id>1</id></contact>".encode()
    )


def test_text_and_attributes_escape_what_xml_cannot_carry():
    shape = XmlShape(root=Element("note", "note", (Leaf("by", attribute=True), Leaf("text"))))
    body = shape.render({"note": {"by": 'A "B"\n\tC', "text": "a < b & c > d\r\x01e"}}).decode()
    assert body == f'{DECL}<note by="A &quot;B&quot;&#10;&#9;C"><text>a &lt; b &amp; c &gt; d&#13;e</text></note>'


def test_text_left_empty_by_dropped_characters_is_written_as_an_empty_string():
    shape = XmlShape(
        root=Element(None, "result", (Leaf("City"), Leaf("Zip"))), empty_string_self_closes=True, declaration=""
    )
    assert shape.render({"City": "\x01\x02", "Zip": "1 < 2"}) == b"<result><City/><Zip>1 &lt; 2</Zip></result>"


@pytest.mark.parametrize("self_closes", [False, True])
@pytest.mark.parametrize("slash", [False, True])
def test_an_element_child_is_written_as_the_same_value_in_a_list_is(self_closes, slash):
    # An element's text children are written by its own compiled code, a list's entries by the
    # general leaf writer: every kind of value must come out the same from both.
    values = [None, True, False, 0, -7, 2**70, Decimal("1.50"), 1.5, "", "a & <b>\r", "\x01", "plain"]
    keys = [f"k{index}" for index in range(len(values))]
    element = Element("row", "row", tuple(Leaf(key, tag="v") for key in keys))
    listed = Array("rows", "rows", Leaf("v"), attrs=())
    options = {"true_text": "True", "false_text": "False", "empty_string_self_closes": self_closes}
    one = XmlShape(root=element, space_before_slash=slash, **options).render(
        {"row": dict(zip(keys, values, strict=True))}
    )
    many = XmlShape(root=listed, space_before_slash=slash, **options).render({"rows": values})
    inner = one.decode().removeprefix(DECL).removeprefix("<row>").removesuffix("</row>")
    assert inner == many.decode().removeprefix(DECL).removeprefix("<rows>").removesuffix("</rows>")
    assert "<v>True</v><v>False</v><v>0</v><v>-7</v>" in inner
