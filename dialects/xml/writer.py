"""Writing XML: each element and array of a shape gets a writer function compiled from its description.

Output is written straight to text in one pass over the data (no tree, no object per value),
because rendering is on every list's hot path and because ElementTree itself writes `<x />` and
cannot tell null from "". A writer is straight-line code per child, with the tags and the
shape's spellings as constants: a list's elements are most of a document, and a loop over the
children that tests each one's kind costs several times what writing the text does.

Escaping text one value at a time costs a regular expression search per string, more than
writing it. So an array's elements are first written with their text as it is, every string
collected on the side, and the collected strings are checked once per element, at C speed
(`needs_escaping`); the rare element with a character to escape or drop is written again with
each string escaped. Attributes are always escaped one by one: they are few.

With `STRICT_KEYS` on (the test suite sets it), a key the shape does not name raises instead of
being left out silently.
"""

from __future__ import annotations

import datetime
import re
import sys
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from dialects.xml.nodes import Array, Element, Leaf

if TYPE_CHECKING:
    from dialects.xml.shapes import XmlShape

# Characters XML 1.0 cannot carry at all (§2.2); dropped on output.
_INVALID_XML_CHARS = "".join(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]))
_TEXT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ATTR_ESCAPES = _TEXT_ESCAPES | {'"': "&quot;", "\n": "&#10;", "\t": "&#9;"}
_TEXT_TABLE = {ord(ch): None for ch in _INVALID_XML_CHARS} | {ord(k): v for k, v in _TEXT_ESCAPES.items()}
_ATTR_TABLE = {ord(ch): None for ch in _INVALID_XML_CHARS} | {ord(k): v for k, v in _ATTR_ESCAPES.items()}
_TEXT_SPECIAL = re.compile(f"[{re.escape(_INVALID_XML_CHARS + ''.join(_TEXT_ESCAPES))}]")
_ATTR_SPECIAL = re.compile(f"[{re.escape(_INVALID_XML_CHARS + ''.join(_ATTR_ESCAPES))}]")
# Text's special characters below U+0080, as bytes: in UTF-8 no other character has such a byte.
_TEXT_SPECIAL_BYTES = bytes(ord(ch) for ch in _INVALID_XML_CHARS + "".join(_TEXT_ESCAPES) if ord(ch) < 0x80)
# Set by the test suite (dialects/conftest.py): a key that a shape does not name raises
# instead of being silently left out of the document.
STRICT_KEYS = False
_module = sys.modules[__name__]
# What a compiled writer's lookup of a key the data does not hold gives.
_ABSENT = object()

Writer = Callable[..., None]


def escape(text: str, special: re.Pattern[str], table: Mapping[int, str | None]) -> str:
    """`text` escaped by `table`; the regular expression spares the common text with nothing to escape."""
    return text.translate(table) if special.search(text) else text


def needs_escaping(texts: list[str]) -> bool:
    """Whether any of `texts` holds a character that element text escapes or drops.

    One pass over all of them in C: the UTF-8 bytes lose no byte to `bytes.translate` unless
    one is special; the two special characters beyond ASCII are looked for only in text that
    has any character beyond ASCII.
    """
    text = "".join(texts)
    data = text.encode("utf-8", "surrogatepass")
    if len(data.translate(None, _TEXT_SPECIAL_BYTES)) != len(data):
        return True
    return not text.isascii() and ("\ufffe" in text or "\uffff" in text)


def refuse_unknown(tag: str, value: Mapping[str, Any], known: frozenset[str] | set[str]) -> None:
    unknown = [key for key in value if key not in known]
    if unknown:
        raise ValueError(f"<{tag}> has no place for {sorted(map(str, unknown))}: add them to the shape.")


def closed(shape: XmlShape, tag: str, attributes: str = "") -> str:
    return f"<{tag}{attributes} />" if shape.space_before_slash else f"<{tag}{attributes}/>"


def write_leaf(shape: XmlShape, tag: str, value: Any, out: list[str]) -> None:
    """A scalar of any kind as the element `tag`, escaped (the compiled writers' general case)."""
    text = _text(shape, value)
    if text is None or (not text and shape.empty_string_self_closes):
        out.append(closed(shape, tag))
    else:
        out.append(f"<{tag}>{text}</{tag}>")


def attribute(shape: XmlShape, value: Any) -> str:
    """An attribute's value, escaped."""
    if type(value) is bool:
        return shape.true_text if value else shape.false_text
    text = value if type(value) is str else _scalar(shape, value)
    return escape(text, _ATTR_SPECIAL, _ATTR_TABLE)


def _text(shape: XmlShape, value: Any) -> str | None:
    """Element text, escaped (characters XML cannot carry dropped), or None for null."""
    if value is None:
        return None
    kind = type(value)
    if kind is str:
        return escape(value, _TEXT_SPECIAL, _TEXT_TABLE)
    if kind is bool:
        return shape.true_text if value else shape.false_text
    if kind is int:
        return str(value)
    return escape(_scalar(shape, value), _TEXT_SPECIAL, _TEXT_TABLE)


def _scalar(shape: XmlShape, value: Any) -> str:
    if isinstance(value, bool):
        return shape.true_text if value else shape.false_text
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (str, int, float, Decimal)):
        return str(value)
    raise TypeError(f"Cannot write {type(value).__name__} as XML text.")


def compile_writer(
    shape: XmlShape, node: Element | Array, writers: dict[tuple[int, bool], Writer], *, deferred: bool = False
) -> Writer:
    """The function writing `node` in `shape`: `(value, out)` for an element, `(value, container,
    out)` for an array (its meta attributes come from the enclosing dict).

    A `deferred` writer takes one more argument, `push`, which it calls with every string it
    writes as it is, unescaped (see the module docstring); its arrays check nothing themselves.
    """
    key = (id(node), deferred)
    known = writers.get(key)
    if known is not None:
        return known
    names: dict[str, Any] = {
        "Mapping": Mapping,
        "module": _module,
        "refuse_unknown": refuse_unknown,
        "needs_escaping": needs_escaping,
        "special": _TEXT_SPECIAL.search,
        "table": _TEXT_TABLE,
        "write_leaf": partial(write_leaf, shape),
        "attribute": partial(attribute, shape),
        "absent": _ABSENT,
    }
    if isinstance(node, Array):
        lines = _array_lines(shape, node, names, writers, deferred=deferred)
    else:
        lines = _element_lines(shape, node, names, writers, deferred=deferred)
    namespace: dict[str, Any] = {}
    exec("\n".join(lines), names, namespace)  # noqa: S102 - the source is made of repr()'d constants
    writer = writers[key] = namespace["write"]
    return writer


def _format(before: str, name: str, after: str) -> str:
    """The source of an f-string: constant `before`, the variable `name`, constant `after`."""

    def constant(text: str) -> str:
        return text.replace("{", "{{").replace("}", "}}")

    return "f" + repr(constant(before) + "{" + name + "}" + constant(after))


def _leaf_lines(shape: XmlShape, tag: str, name: str, indent: str, *, deferred: bool, absent: bool) -> list[str]:
    """The source writing the scalar in the variable `name` as the element `tag`, with the
    output of `write_leaf` for every value; the common kinds inline, the others through it.
    `absent`: the variable may hold the absent marker, which writes nothing."""
    opening, closing, empty = f"<{tag}>", f"</{tag}>", closed(shape, tag)
    lines = [f"{indent}if type({name}) is str:"]
    if deferred:
        lines.append(f"{indent}    push({name})")
    else:
        lines += [f"{indent}    if special({name}):", f"{indent}        {name} = {name}.translate(table)"]
    if shape.empty_string_self_closes:
        lines.append(f"{indent}    out.append({_format(opening, name, closing)} if {name} else {empty!r})")
    else:
        lines.append(f"{indent}    out.append({_format(opening, name, closing)})")
    lines += [
        f"{indent}elif {name} is None:",
        f"{indent}    out.append({empty!r})",
        f"{indent}elif {name} is True:",
        f"{indent}    out.append({opening + shape.true_text + closing!r})",
        f"{indent}elif {name} is False:",
        f"{indent}    out.append({opening + shape.false_text + closing!r})",
    ]
    if absent:
        lines += [f"{indent}elif {name} is absent:", f"{indent}    pass"]
    lines += [
        f"{indent}elif type({name}) is int:",
        f"{indent}    out.append({_format(opening, name, closing)})",  # an int formats as str() writes it
        f"{indent}else:",
        f"{indent}    write_leaf({tag!r}, {name}, out)",
    ]
    return lines


def _element_lines(
    shape: XmlShape, node: Element, names: dict[str, Any], writers: dict[tuple[int, bool], Writer], *, deferred: bool
) -> list[str]:
    """The source of an element's writer: what the description says, child by child."""
    tag = node.tag
    names["keys"] = node.keys
    slash = " />" if shape.space_before_slash else "/>"
    push = ", push" if deferred else ""
    lines = [
        f"def write(value, out{push}):",
        "    if value is None:",
        f"        out.append({closed(shape, tag)!r})",
        "        return",
        # A dict is what a representation gives: spared the abstract class's slower check.
        "    if type(value) is not dict and not isinstance(value, Mapping):",
        f"        raise TypeError({f'<{tag}> needs a dict, not '!r} + type(value).__name__ + '.')",
        "    if module.STRICT_KEYS:",
        f"        refuse_unknown({tag!r}, value, keys)",
    ]
    if node.attributes:
        lines.append("    attributes = ''")
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
            lines.append(f"    text = get({key!r}, absent)")
            lines += _leaf_lines(shape, child.name, "text", "    ", deferred=deferred, absent=True)
            continue
        names[f"child{index}"] = compile_writer(shape, child, writers, deferred=deferred)
        if isinstance(child, Element) and key is None:
            lines.append(f"    child{index}(value, out{push})")
        elif isinstance(child, Element):
            lines += [f"    if {key!r} in value:", f"        child{index}(value[{key!r}], out{push})"]
        else:
            lines += [f"    if {key!r} in value:", f"        child{index}(value[{key!r}], value, out{push})"]
    head = f"{f'<{tag}'!r} + attributes" if node.attributes else repr(f"<{tag}")
    lines += [
        "    if len(out) == start + 1:",
        f"        out[start] = {head} + {slash!r}",
        "    else:",
        f"        out[start] = {head} + '>'",
        f"        out.append({f'</{tag}>'!r})",
    ]
    return lines


def _array_lines(
    shape: XmlShape, node: Array, names: dict[str, Any], writers: dict[tuple[int, bool], Writer], *, deferred: bool
) -> list[str]:
    """The source of an array's writer (see `Array` for what its options mean).

    Unless it is itself `deferred`, an array of elements writes each one with the deferred
    writer first and again escaped if its strings need it; an array of scalars escapes each.
    """
    item, tag = node.item, node.tag
    push = ", push" if deferred else ""
    if isinstance(item, Leaf):
        write_item = _leaf_lines(shape, item.name, "entry", "        ", deferred=deferred, absent=False)
    elif deferred:
        names["item"] = compile_writer(shape, item, writers, deferred=True)
        write_item = ["        item(entry, out, push)"]
    else:
        names["item"] = compile_writer(shape, item, writers)
        names["item_as_is"] = compile_writer(shape, item, writers, deferred=True)
        write_item = [
            "        mark = len(out)",
            "        item_as_is(entry, out, push)",
            "        if texts:",
            "            if needs_escaping(texts):",
            "                del out[mark:]",
            "                item(entry, out)",
            "            texts.clear()",
        ]
    checks = not deferred and not isinstance(item, Leaf)
    lines = [f"def write(value, container, out{push}):"]
    if checks:
        lines += ["    texts = []", "    push = texts.append"]
    if node.repeated:
        return [*lines, "    for entry in value or ():", *write_item]
    lines.append("    if value is not None and not isinstance(value, (list, tuple)):")
    if node.scalar_ok:
        lines += [f"        write_leaf({tag!r}, value, out)", "        return"]
    else:
        lines.append(f"        raise TypeError({f'{node.key} must be a list, not '!r} + type(value).__name__ + '.')")
    static = "".join(f' {name}="{escape(text, _ATTR_SPECIAL, _ATTR_TABLE)}"' for name, text in node.attrs)
    lines += [
        "    if value is None:",
        f"        out.append({closed(shape, tag)!r})",
        "        return",
        f"    attributes = {static!r}",
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
        *write_item,
        f"    out.append({f'</{tag}>'!r})",
    ]
    return lines
