"""Golden files for every dialect: a body must equal its file byte for byte.

`UPDATE_GOLDEN=1` (for every dialect) writes the files instead of comparing; review the diff
before committing. Each dialect masks what differs from run to run (ids, times, tokens)
before calling `assert_golden`.
"""

from __future__ import annotations

import os
from pathlib import Path

UPDATE_VARIABLE = "UPDATE_GOLDEN"


def assert_golden(path: Path, body: bytes) -> None:
    """`body` equals the file at `path`; with UPDATE_GOLDEN=1 it becomes the file."""
    if os.environ.get(UPDATE_VARIABLE) == "1":
        path.write_bytes(body)
    expected = path.read_bytes() if path.exists() else b""
    assert body == expected, f"{path.name} differs (UPDATE_GOLDEN=1 rewrites it):\n{body.decode(errors='replace')}"
