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

Output is written straight to text in one pass over the data (no tree, no
object per value), because rendering is on every list's hot path and because
ElementTree itself writes `<x />` and cannot tell null from "". Each element and
array of a shape gets a writer function compiled from its description on first use, so a
list's hundred contacts run straight-line code rather than a walk over the description. With
`STRICT_KEYS` on (the test suite sets it), a key the shape does not name
raises instead of being left out silently.
Input is parsed with defusedxml only: DTDs, entities and external references
are refused, the body size is checked before any parsing, and elements may nest no deeper than
`dialects.base.MAX_NESTING`, the bound JSON bodies share. Values stay
strings unless the shape declares a type (a postcode `01234` stays `01234`).
"""

from __future__ import annotations

import datetime
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
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
_INVALID_XML_CHARS = "".join(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]))
_TEXT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ATTR_ESCAPES = _TEXT_ESCAPES | {'"': "&quot;", "\n": "&#10;", "\t": "&#9;"}
_TEXT_TABLE = {ord(ch): None for ch in _INVALID_XML_CHARS} | {ord(k): v for k, v in _TEXT_ESCAPES.items()}
_ATTR_TABLE = {ord(ch): None for ch in _INVALID_XML_CHARS} | {ord(k): v for k, v in _ATTR_ESCAPES.items()}
_TEXT_SPECIAL = re.compile(f"[{re.escape(_INVALID_XML_CHARS + ''.join(_TEXT_ESCAPES))}]")
_ATTR_SPECIAL = re.compile(f"[{re.escape(_INVALID_XML_CHARS + ''.join(_ATTR_ESCAPES))}]")
# Set by the test suite (dialects/conftest.py): a key that a shape does not name raises
# instead of being silently left out of the document.
STRICT_KEYS = False
# The kinds of child an element's writer walks (`Element.plan`).
_LEAF, _ELEMENT, _ARRAY = range(3)
_INT = re.compile(r"-?\d+")
_module = sys.modules[__name__]
# What a compiled writer's lookup of a key the data does not hold gives.
_ABSENT = object()


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

    @cached_property
    def attributes(self) -> tuple[Leaf, ...]:
        return tuple(f for f in self.fields if isinstance(f, Leaf) and f.attribute)

    @cached_property
    def children(self) -> tuple[Leaf | Element | Array, ...]:
        return tuple(f for f in self.fields if not (isinstance(f, Leaf) and f.attribute))

    @cached_property
    def plan(self) -> tuple[tuple[int, Leaf | Element | Array, str | None, str], ...]:
        """The children as the writer walks them: (kind, node, key, tag), worked out once."""
        return tuple(
            (
                _LEAF if isinstance(child, Leaf) else _ARRAY if isinstance(child, Array) else _ELEMENT,
                child,
                child.key,
                child.name,
            )
            for child in self.children
        )

    @cached_property
    def keys(self) -> frozenset[str]:
        """The keys of the element's dict that the shape names (a key=None child's own keys too)."""
        keys: set[str] = set()
        for f in self.fields:
            keys |= f.keys if isinstance(f, Element) and f.key is None else {f.key}
        return frozenset(keys)


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

    @cached_property
    def static_attributes(self) -> str:
        return "".join(f' {name}="{_escape(text, _ATTR_SPECIAL, _ATTR_TABLE)}"' for name, text in self.attrs)


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

    # Rendering: written straight to text in one pass, with the escaping of the old tree writer.

    def render(self, data: Any) -> bytes:
        """The document for `data` (the enclosing dict of the root, or its value when key=None)."""
        root = self.root
        out: list[str] = [self.declaration]
        if isinstance(root, Element) and root.key is None:
            self._writer(root)(data, out)
        else:
            if not isinstance(data, Mapping) or root.key not in data:
                raise ValueError(f"{root.key!r} is missing from the data to render.")
            if STRICT_KEYS:
                meta = {leaf.key for leaf in root.meta} if isinstance(root, Array) else set()
                _refuse_unknown(root.name, data, {root.key, *meta})
            if isinstance(root, Array):
                self._writer(root)(data[root.key], data, out)
                if root.repeated and len(data[root.key] or ()) != 1:
                    raise ValueError(f"{root.key!r} must hold exactly one item to be a document.")
            else:
                self._writer(root)(data[root.key], out)
        return "".join(out).encode("utf-8")

    # Each element and array of the shape has a writer compiled from its description once (see
    # `_compile_writer`): straight-line code per child, with the tags and this shape's spellings
    # as constants. A list's elements are most of a document, and a loop over the children that
    # tests each one's kind costs several times what writing the text does.

    @cached_property
    def _writers(self) -> dict[int, Any]:
        writers: dict[int, Any] = {}
        self._compile_writer(self.root, writers)
        return writers

    def _writer(self, node: Element | Array) -> Any:
        writers = self._writers
        writer = writers.get(id(node))
        if writer is None:  # a node outside the shape (only ever this shape's own)
            writer = self._compile_writer(node, writers)
        return writer

    def _compile_writer(self, node: Element | Array, writers: dict[int, Any]) -> Any:
        """The function writing `node`: `(value, out)` for an element, `(value, container, out)`
        for an array (its meta attributes come from the enclosing dict)."""
        known = writers.get(id(node))
        if known is not None:
            return known
        names: dict[str, Any] = {
            "Mapping": Mapping,
            "module": _module,
            "refuse_unknown": _refuse_unknown,
            "special": _TEXT_SPECIAL.search,
            "table": _TEXT_TABLE,
            "write_leaf": self._write_leaf,
            "attribute": self._attribute,
            "absent": _ABSENT,
        }
        lines = _array_lines(self, node, names, writers) if isinstance(node, Array) else None
        if lines is None:
            lines = _element_lines(self, node, names, writers)
        namespace: dict[str, Any] = {}
        exec("\n".join(lines), names, namespace)  # noqa: S102 - the source is made of repr()'d constants
        writer = writers[id(node)] = namespace["write"]
        return writer

    def _closed(self, tag: str, attributes: str = "") -> str:
        return f"<{tag}{attributes} />" if self.space_before_slash else f"<{tag}{attributes}/>"

    def _write_leaf(self, tag: str, value: Any, out: list[str]) -> None:
        text = self._text(value)
        if text is None or (not text and self.empty_string_self_closes):
            out.append(self._closed(tag))
        else:
            out.append(f"<{tag}>{text}</{tag}>")

    def _text(self, value: Any) -> str | None:
        """Element text, escaped (characters XML cannot carry dropped), or None for null."""
        if value is None:
            return None
        kind = type(value)
        if kind is str:
            return _escape(value, _TEXT_SPECIAL, _TEXT_TABLE)
        if kind is bool:
            return self.true_text if value else self.false_text
        if kind is int:
            return str(value)
        return _escape(self._scalar(value), _TEXT_SPECIAL, _TEXT_TABLE)

    def _attribute(self, value: Any) -> str:
        if type(value) is bool:
            return self.true_text if value else self.false_text
        text = value if type(value) is str else self._scalar(value)
        return _escape(text, _ATTR_SPECIAL, _ATTR_TABLE)

    def _scalar(self, value: Any) -> str:
        if isinstance(value, bool):
            return self.true_text if value else self.false_text
        if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
            return value.isoformat()
        if isinstance(value, (str, int, float, Decimal)):
            return str(value)
        raise TypeError(f"Cannot write {type(value).__name__} as XML text.")

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


def _escape(text: str, special: re.Pattern[str], table: Mapping[int, str | None]) -> str:
    """`text` escaped by `table`; the regular expression spares the common text with nothing to escape."""
    return text.translate(table) if special.search(text) else text


def _refuse_unknown(tag: str, value: Mapping[str, Any], known: frozenset[str] | set[str]) -> None:
    unknown = [key for key in value if key not in known]
    if unknown:
        raise ValueError(f"<{tag}> has no place for {sorted(map(str, unknown))}: add them to the shape.")


def _element_lines(shape: XmlShape, node: Element, names: dict[str, Any], writers: dict[int, Any]) -> list[str]:
    """The source of an element's writer: what the description says, child by child, with the
    same output as walking the description would give."""
    tag = node.tag
    names["keys"] = node.keys
    slash = " />" if shape.space_before_slash else "/>"
    lines = [
        "def write(value, out):",
        "    if value is None:",
        f"        out.append({shape._closed(tag)!r})",
        "        return",
        # A dict is what a representation gives: spared the abstract class's slower check.
        "    if type(value) is not dict and not isinstance(value, Mapping):",
        f"        raise TypeError({f'<{tag}> needs a dict, not '!r} + type(value).__name__ + '.')",
        "    if module.STRICT_KEYS:",
        f"        refuse_unknown({tag!r}, value, keys)",
        "    attributes = ''",
    ]
    for leaf in node.attributes:
        lines += [
            f"    found = value.get({leaf.key!r})",
            "    if found is not None:",
            f"        attributes += {f' {leaf.name}=' + chr(34)!r} + attribute(found) + {chr(34)!r}",
        ]
    lines += ["    get = value.get", "    start = len(out)", "    out.append('')"]
    for index, child in enumerate(node.children):
        key = child.key
        if isinstance(child, Leaf):
            name = child.name
            lines += [
                f"    text = get({key!r}, absent)",
                "    if text is absent:",
                "        pass",
                "    elif type(text) is str:",
                "        if special(text):",
                "            text = text.translate(table)",
            ]
            if shape.empty_string_self_closes:
                lines += [
                    "        if text:",
                    f"            out.append({f'<{name}>'!r} + text + {f'</{name}>'!r})",
                    "        else:",
                    f"            out.append({shape._closed(name)!r})",
                ]
            else:
                lines.append(f"        out.append({f'<{name}>'!r} + text + {f'</{name}>'!r})")
            # The other common values (None, booleans, whole numbers) as `_write_leaf` writes them.
            lines += [
                "    elif text is None:",
                f"        out.append({shape._closed(name)!r})",
                "    elif text is True:",
                f"        out.append({f'<{name}>{shape.true_text}</{name}>'!r})",
                "    elif text is False:",
                f"        out.append({f'<{name}>{shape.false_text}</{name}>'!r})",
                "    elif type(text) is int:",
                f"        out.append({f'<{name}>'!r} + str(text) + {f'</{name}>'!r})",
                "    else:",
                f"        write_leaf({name!r}, text, out)",
            ]
            continue
        names[f"child{index}"] = shape._compile_writer(child, writers)
        if isinstance(child, Element) and key is None:
            lines.append(f"    child{index}(value, out)")
        elif isinstance(child, Element):
            lines += [f"    if {key!r} in value:", f"        child{index}(value[{key!r}], out)"]
        else:
            lines += [f"    if {key!r} in value:", f"        child{index}(value[{key!r}], value, out)"]
    lines += [
        "    if len(out) == start + 1:",
        f"        out[start] = {f'<{tag}'!r} + attributes + {slash!r}",
        "    else:",
        f"        out[start] = {f'<{tag}'!r} + attributes + '>'",
        f"        out.append({f'</{tag}>'!r})",
    ]
    return lines


def _array_lines(shape: XmlShape, node: Array, names: dict[str, Any], writers: dict[int, Any]) -> list[str]:
    """The source of an array's writer (see `Array` for what its options mean)."""
    item, tag = node.item, node.tag
    if isinstance(item, Leaf):
        write_item = f"write_leaf({item.name!r}, entry, out)"
    else:
        names["item"] = shape._compile_writer(item, writers)
        write_item = "item(entry, out)"
    if node.repeated:
        return ["def write(value, container, out):", "    for entry in value or ():", f"        {write_item}"]
    lines = [
        "def write(value, container, out):",
        "    if value is not None and not isinstance(value, (list, tuple)):",
    ]
    if node.scalar_ok:
        lines += [f"        write_leaf({tag!r}, value, out)", "        return"]
    else:
        lines.append(f"        raise TypeError({f'{node.key} must be a list, not '!r} + type(value).__name__ + '.')")
    lines += [
        "    if value is None:",
        f"        out.append({shape._closed(tag)!r})",
        "        return",
        f"    attributes = {node.static_attributes!r}",
    ]
    for leaf in node.meta:
        lines += [
            f"    found = container.get({leaf.key!r})",
            "    if found is not None:",
            f"        attributes += {f' {leaf.name}=' + chr(34)!r} + attribute(found) + {chr(34)!r}",
        ]
    slash = " />" if shape.space_before_slash else "/>"
    empty = (
        f"{f'<{tag}'!r} + attributes + {slash!r}"
        if shape.empty_string_self_closes
        else (f"{f'<{tag}'!r} + attributes + {f'></{tag}>'!r}")
    )
    lines += [
        "    if not value:",
        '        # Builder writes an empty array as <x type="array"></x>.',
        f"        out.append({empty})",
        "        return",
        f"    out.append({f'<{tag}'!r} + attributes + '>')",
        "    for entry in value:",
        f"        {write_item}",
        f"    out.append({f'</{tag}>'!r})",
    ]
    return lines


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
    """Renders a reply with the shape `shape_for` picks, the same way for every dialect.

    An error reply (one made by the exception handler) takes `error_shape`. Any other takes its
    view's shape: `xml_shapes[method]` where one method's reply differs, else `xml_shape`.
    A view that names none falls back to the first of `shapes` whose root key is in the data
    (or whose root has key=None).
    """

    media_type = "application/xml"
    format = "xml"
    charset = "utf-8"
    shapes: ClassVar[tuple[XmlShape, ...]] = ()
    error_shape: ClassVar[XmlShape | None] = None

    def shape_for(self, data: Any, renderer_context: Mapping[str, Any] | None) -> XmlShape:
        context = renderer_context or {}
        response, view, request = context.get("response"), context.get("view"), context.get("request")
        if self.error_shape is not None and getattr(response, "exception", False):
            return self.error_shape
        if view is not None:
            method = request.method if request is not None else "GET"
            shape = getattr(view, "xml_shapes", {}).get(method) or getattr(view, "xml_shape", None)
            if shape is not None:
                return shape
        for shape in self.shapes:
            if shape.root.key is None or (isinstance(data, Mapping) and shape.root.key in data):
                return shape
        keys = sorted(data) if isinstance(data, Mapping) else type(data).__name__
        raise ValueError(f"No XML shape of {type(self).__name__} fits {keys}.")

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Mapping[str, Any] | None = None
    ) -> bytes:
        if data is None:
            return b""
        return self.shape_for(data, renderer_context).render(data)


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
