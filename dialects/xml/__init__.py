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

The package, by concern:

- `nodes`: `Leaf`, `Element`, `Array`, the parts a document is declared with;
- `shapes`: `XmlShape`, a document with its vendor's spellings;
- `writer`: the compiled writers and the escaping (and `STRICT_KEYS`, which the test suite
  turns on so that a key a shape does not name raises);
- `reader`: the safe parse (defusedxml, bounded size and depth) and the data read back;
- `drf`: `XmlShapeRenderer` and `XmlShapeParser`, DRF's classes over shapes.

Everything a dialect uses is importable from `dialects.xml` itself.
"""

from __future__ import annotations

from dialects.xml.drf import XmlShapeParser, XmlShapeRenderer
from dialects.xml.nodes import Array, Element, Leaf, Node
from dialects.xml.reader import XmlError, XmlTooLarge, parse_tree
from dialects.xml.shapes import XmlShape

__all__ = [
    "Array",
    "Element",
    "Leaf",
    "Node",
    "XmlError",
    "XmlShape",
    "XmlShapeParser",
    "XmlShapeRenderer",
    "XmlTooLarge",
    "parse_tree",
]
