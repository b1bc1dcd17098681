"""The parts a document is declared with: `Leaf` (a scalar), `Element` (a dict) and `Array` (a list).

They are plain data: `dialects.xml.shapes.XmlShape` puts them under a root with a vendor's
spelling conventions, and the writer and the reader both work from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property


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


Node = Leaf | Element | Array
