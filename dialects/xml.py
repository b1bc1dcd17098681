"""Declarative XML shapes: one description per resource renders it and parses it back.

A vendor's XML is described as data (`XmlShape` over `Leaf`, `Element` and
`Array` nodes), and the same description drives `XmlShape.render` (Python
data → bytes) and `XmlShape.parse` (bytes → Python data), which are exact
inverses for the shape. The Python side is the same dict a JSON body would be
(`{"contact": {...}}`, `{"contacts": [...], "total_count": 5}`), so a dialect's
serializers never know which format is on the wire.

What a shape can say:

- the root tag, and for a list root its static attributes (`type="array"`) and
  its meta attributes read from the enclosing dict (`total_count`, `offset`...);
- per-list item tags (`phones` → `phone`), or repeated siblings without a wrapper;
- keys written as attributes (`<author id="1" name="Ann"/>`);
- how booleans are spelled (`true`/`False`...), how null and "" are written
  (`<x/>`, `<x></x>`, `<x />`).

Output is built as an ElementTree and written by the small serializer below,
because ElementTree itself writes `<x />` and cannot tell null from "".
Input is parsed with defusedxml only: DTDs, entities and external references
are refused, the body size is checked before any parsing, and elements may nest no deeper than
`dialects.base.MAX_NESTING`, the bound JSON bodies share. Values stay
strings unless the shape declares a type (a postcode `01234` stays `01234`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework.exceptions import ParseError as DRFParseError
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer

from dialects.base import MAX_NESTING, read_body

# Characters XML 1.0 cannot carry at all (§2.2); dropped on output.
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TEXT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ATTR_ESCAPES = _TEXT_ESCAPES | {'"': "&quot;", "\n": "&#10;", "\t": "&#9;"}
_INT = re.compile(r"-?\d+")


class XmlError(ValueError):
    """The XML body is malformed, unsafe, or not the expected document."""


class XmlTooLarge(XmlError):
    """The XML body is larger than the configured limit."""


@dataclass(frozen=True)
class Leaf:
    """A scalar: an element with text, or (attribute=True) an attribute of its parent.

    `type` is what parsing turns the text back into: str (default), int, bool,
    Decimal or float. Text that does not convert stays a string, so a wrong
    value reaches the serializer and gets a field error rather than vanishing.
    """

    key: str
    tag: str | None = None
    type: type = str
    attribute: bool = False

    @property
    def name(self) -> str:
        return self.tag or self.key


@dataclass(frozen=True)
class Element:
    """A dict written as one element; `fields` are its attributes and children in order.

    `key=None` means the element is the enclosing value itself (a document
    root that is not wrapped in a dict key, such as ONLYOFFICE's `<result>`).
    """

    key: str | None
    tag: str
    fields: tuple[Leaf | Element | Array, ...] = ()

    @property
    def name(self) -> str:
        return self.tag


@dataclass(frozen=True)
class Array:
    """A list: a wrapper element holding one `item` element per entry.

    - `attrs`: static attributes of the wrapper (`type="array"`);
    - `meta`: leaves read from the *enclosing* dict and written as wrapper
      attributes (`total_count`, `offset`, `limit`); absent keys are left out;
    - `repeated`: no wrapper, the items are siblings named after `item`;
    - `scalar_ok`: a value that is not a list is written as a plain leaf (a
      Redmine custom field holds `<value>x</value>` or `<value type="array">`).
    """

    key: str
    tag: str
    item: Leaf | Element
    attrs: tuple[tuple[str, str], ...] = (("type", "array"),)
    meta: tuple[Leaf, ...] = ()
    repeated: bool = False
    scalar_ok: bool = False

    @property
    def name(self) -> str:
        return self.tag


Node = Leaf | Element | Array


@dataclass(frozen=True)
class XmlShape:
    """One document: its root node and the vendor's spelling conventions."""

    root: Element | Array
    true_text: str = "true"
    false_text: str = "false"
    # "" is written `<x></x>` unless this is set; None is always a self-closing tag.
    empty_string_self_closes: bool = False
    # `<x/>` (Redmine, Rails Builder) or `<x />` (.NET, ONLYOFFICE).
    space_before_slash: bool = False
    declaration: str = '<?xml version="1.0" encoding="UTF-8"?>'

    # Rendering

    def render(self, data: Any) -> bytes:
        """The document for `data` (the enclosing dict of the root, or its value when key=None)."""
        elements = self._elements(self.root, data)
        if len(elements) != 1:
            raise ValueError(f"{self.root.key!r} is missing from the data to render.")
        out: list[str] = [self.declaration]
        self._write(elements[0], out)
        return "".join(out).encode("utf-8")

    def _elements(self, node: Node, container: Any) -> list[ET.Element]:
        """The elements `node` contributes for its value in `container` (none when the key is absent)."""
        if isinstance(node, Element) and node.key is None:
            return [self._element(node, container)]
        if not isinstance(container, Mapping) or node.key not in container:
            return []
        value = container[node.key]
        if isinstance(node, Leaf):
            return [self._leaf(node.name, value)]
        if isinstance(node, Element):
            return [self._element(node, value)]
        return self._array(node, value, container)

    def _leaf(self, tag: str, value: Any) -> ET.Element:
        element = ET.Element(tag)
        element.text = self._text(value)
        return element

    def _element(self, node: Element, value: Any) -> ET.Element:
        element = ET.Element(node.tag)
        if value is None:
            return element
        for field in node.fields:
            if isinstance(field, Leaf) and field.attribute:
                if field.key in value and value[field.key] is not None:
                    element.set(field.name, self._text(value[field.key]) or "")
            else:
                element.extend(self._elements(field, value))
        return element

    def _array(self, node: Array, value: Any, container: Mapping[str, Any]) -> list[ET.Element]:
        if node.repeated:
            return [self._item(node.item, entry) for entry in value or ()]
        if value is not None and not isinstance(value, (list, tuple)):
            if not node.scalar_ok:
                raise TypeError(f"{node.key} must be a list, not {type(value).__name__}.")
            return [self._leaf(node.tag, value)]
        wrapper = ET.Element(node.tag)
        if value is None:
            return [wrapper]
        for name, text in node.attrs:
            wrapper.set(name, text)
        for leaf in node.meta:
            if container.get(leaf.key) is not None:
                wrapper.set(leaf.name, self._text(container[leaf.key]) or "")
        wrapper.extend(self._item(node.item, entry) for entry in value)
        if not len(wrapper):
            wrapper.text = ""  # Builder writes an empty array as <x type="array"></x>
        return [wrapper]

    def _item(self, node: Leaf | Element, value: Any) -> ET.Element:
        return self._leaf(node.name, value) if isinstance(node, Leaf) else self._element(node, value)

    def _text(self, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool):
            return self.true_text if value else self.false_text
        if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
            return value.isoformat()
        if isinstance(value, (str, int, float, Decimal)):
            return _INVALID_XML_CHARS.sub("", str(value))
        raise TypeError(f"Cannot write {type(value).__name__} as XML text.")

    def _write(self, element: ET.Element, out: list[str]) -> None:
        out.append(f"<{element.tag}")
        for name, value in element.attrib.items():
            out.append(f' {name}="{_escape(value, _ATTR_ESCAPES)}"')
        empty = len(element) == 0 and (element.text is None or (element.text == "" and self.empty_string_self_closes))
        if empty:
            out.append(" />" if self.space_before_slash else "/>")
            return
        out.append(">")
        if element.text:
            out.append(_escape(element.text, _TEXT_ESCAPES))
        for child in element:
            self._write(child, out)
        out.append(f"</{element.tag}>")

    # Parsing

    def parse(self, body: bytes, *, max_bytes: int | None = None) -> Any:
        """The data of a document of this shape (raises XmlError on anything else)."""
        return self.read(parse_tree(body, max_bytes=max_bytes))

    def read(self, root: ET.Element) -> Any:
        """The data of an already parsed (safe) tree; see `parse_tree`."""
        if root.tag != self.root.name:
            raise XmlError(f"Expected <{self.root.name}> as the root element, got <{root.tag}>.")
        if isinstance(self.root, Element) and self.root.key is None:
            return self._read_element(self.root, root) or {}
        container: dict[str, Any] = {}
        self._read_field(self.root, {root.tag: [root]}, container)
        return container

    def _read_field(self, node: Node, children: Mapping[str, list[ET.Element]], container: dict[str, Any]) -> None:
        if isinstance(node, Array) and node.repeated:
            found = children.get(node.item.name)
            if found:
                container[node.key] = [self._read_item(node.item, el) for el in found]
            return
        found = children.get(node.name)
        if not found:
            return
        element = found[0]
        if isinstance(node, Leaf):
            container[node.key] = self._convert(node, element.text)
        elif isinstance(node, Element):
            value = self._read_element(node, element)
            if node.key is None:
                container.update(value or {})
            else:
                container[node.key] = value
        else:
            self._read_array(node, element, container)

    def _read_element(self, node: Element, element: ET.Element) -> dict[str, Any] | None:
        if not element.attrib and not len(element) and element.text is None:
            return None
        children = _children_by_tag(element)
        value: dict[str, Any] = {}
        for field in node.fields:
            if isinstance(field, Leaf) and field.attribute:
                if field.name in element.attrib:
                    value[field.key] = self._convert(field, element.attrib[field.name])
            else:
                self._read_field(field, children, value)
        return value

    def _read_array(self, node: Array, element: ET.Element, container: dict[str, Any]) -> None:
        is_array = all(element.get(name) == text for name, text in node.attrs)
        if node.scalar_ok and not is_array:
            container[node.key] = self._convert(Leaf(node.key, node.tag), element.text)
            return
        if not element.attrib and not len(element) and element.text is None:
            container[node.key] = None
            return
        container[node.key] = [self._read_item(node.item, el) for el in element if el.tag == node.item.name]
        for leaf in node.meta:
            if leaf.name in element.attrib:
                container[leaf.key] = self._convert(leaf, element.attrib[leaf.name])

    def _read_item(self, node: Leaf | Element, element: ET.Element) -> Any:
        return self._convert(node, element.text) if isinstance(node, Leaf) else self._read_element(node, element)

    def _convert(self, leaf: Leaf, text: str | None) -> Any:
        if text is None:
            return "" if self.empty_string_self_closes and leaf.type is str else None
        if leaf.type is bool:
            return {self.true_text: True, self.false_text: False}.get(text, text)
        if leaf.type is int:
            return int(text) if _INT.fullmatch(text) else text
        if leaf.type in (Decimal, float):
            try:
                number = Decimal(text)
            except InvalidOperation:
                return text
            return number if leaf.type is Decimal else float(number)
        return text


def _escape(text: str, table: Mapping[str, str]) -> str:
    return "".join(table.get(ch, ch) for ch in _INVALID_XML_CHARS.sub("", text))


def _children_by_tag(element: ET.Element) -> dict[str, list[ET.Element]]:
    children: dict[str, list[ET.Element]] = {}
    for child in element:
        children.setdefault(child.tag, []).append(child)
    return children


class _TreeBuilder:
    """An ElementTree builder that remembers whether an empty element was `<x/>` or `<x></x>`.

    ElementTree gives both text None; we need the difference to read back
    null versus "". At an element's end event expat's byte index sits right
    after the tag, so a self-closed element is the one whose last bytes are "/>".
    """

    def __init__(self, body: bytes) -> None:
        self._builder = ET.TreeBuilder()
        self._body = body
        self._depth = 0
        self.parser: DefusedXMLParser | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        self._depth += 1
        if self._depth > MAX_NESTING:
            raise XmlError(f"The body nests deeper than {MAX_NESTING} levels.")
        return self._builder.start(tag, attrs)

    def data(self, data: str) -> None:
        self._builder.data(data)

    def end(self, tag: str) -> ET.Element:
        self._depth -= 1
        element = self._builder.end(tag)
        if len(element) == 0 and element.text is None:
            index = self.parser.parser.CurrentByteIndex
            element.text = None if self._body[index - 2 : index] == b"/>" else ""
        return element

    def close(self) -> ET.Element:
        return self._builder.close()


def parse_tree(body: bytes, *, max_bytes: int | None = None) -> ET.Element:
    """Parse untrusted XML safely: size checked first, no DTD, no entities, no external references."""
    limit = settings.API_MAX_BODY_BYTES if max_bytes is None else max_bytes
    if len(body) > limit:
        raise XmlTooLarge(f"The body is larger than {limit} bytes.")
    if not body.strip():
        raise XmlError("The body is empty.")
    builder = _TreeBuilder(body)
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(body)
        return parser.close()
    except DefusedXmlException as exc:
        raise XmlError(f"XML with a DTD, entities or external references is refused ({type(exc).__name__}).") from None
    except ParseError as exc:
        raise XmlError(f"Malformed XML: {exc}.") from None


class XmlShapeRenderer(BaseRenderer):
    """Renders with the first of `shapes` whose root key is in the data (or whose root has key=None)."""

    media_type = "application/xml"
    format = "xml"
    charset = "utf-8"
    shapes: ClassVar[tuple[XmlShape, ...]] = ()

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Mapping[str, Any] | None = None
    ) -> bytes:
        if data is None:
            return b""
        for shape in self.shapes:
            if shape.root.key is None or (isinstance(data, Mapping) and shape.root.key in data):
                return shape.render(data)
        raise ValueError(f"No XML shape of {type(self).__name__} fits keys {sorted(data)}.")


class XmlShapeParser(BaseParser):
    """Parses with the one of `shapes` whose root tag the document has; anything else is a 400."""

    # Matches application/xml and text/xml.
    media_type = "*/xml"
    shapes: ClassVar[tuple[XmlShape, ...]] = ()

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        body = read_body(stream, parser_context)
        try:
            tree = parse_tree(body)
            for shape in self.shapes:
                if shape.root.name == tree.tag:
                    return shape.read(tree)
            raise XmlError(f"Unexpected root element <{tree.tag}>.")
        except XmlTooLarge as exc:
            raise RequestDataTooBig(str(exc)) from None
        except XmlError as exc:
            raise DRFParseError(str(exc)) from None
