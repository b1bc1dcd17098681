"""Every curl example in `docs/*.md` is run with the real curl against a live server.

How a page writes an example: a fenced ```sh block whose first line starts
with `curl`. It uses `$CRM` for the server's base URL, `$KEY` for an API key,
and the users its page's fixture creates (`-u admin:admin`). Comment lines in
the block say what must come back:

    # => 201                       the HTTP status (required)
    # contains: "first_name":"John" text the response body must contain (any number)

Each page `docs/<name>.md` has a fixture `docs_<name>` (imported in
`docs/conftest.py`) that seeds the database and returns the environment
variables its examples use, at least `KEY`. Ids are predictable because every
example starts from a fresh database with reset sequences. Adding a dialect's
page = writing the page and one fixture; this file stays as it is.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent
BLOCK = re.compile(r"^```sh\n(curl.*?)^```", re.MULTILINE | re.DOTALL)
STATUS = re.compile(r"^# => (\d{3})\s*$", re.MULTILINE)
CONTAINS = re.compile(r"^# contains: (.+?)\s*$", re.MULTILINE)
WRITTEN_STATUS = re.compile(r"^=> (\d{3})$", re.MULTILINE)
CURL = "/usr/bin/curl"


@dataclass(frozen=True)
class Example:
    page: str
    number: int
    script: str
    status: int
    contains: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.page}:{self.number}"


def examples_in(page: str, text: str) -> list[Example]:
    """The curl examples of one page, in order; a block without `# => NNN` is an error."""
    found = []
    for number, match in enumerate(BLOCK.finditer(text), start=1):
        script = match.group(1)
        status = STATUS.search(script)
        if status is None:
            raise ValueError(f"{page} example {number} does not say its status (# => NNN).")
        found.append(Example(page, number, script, int(status.group(1)), tuple(CONTAINS.findall(script))))
    return found


def all_examples() -> list[Example]:
    return [ex for path in sorted(DOCS.glob("*.md")) for ex in examples_in(path.stem, path.read_text())]


def test_examples_are_found_with_their_status_and_expected_text():
    page = """Intro
```sh
curl -s "$CRM/x.json?key=$KEY"
# => 200
# contains: "total_count":1
```
```json
{"not": "an example"}
```
```sh
curl -X DELETE -u admin:admin "$CRM/x/1.json"
# => 204
```
"""
    first, second = examples_in("sample", page)
    assert (first.status, first.contains) == (200, ('"total_count":1',))
    assert second.script.startswith("curl -X DELETE") and second.status == 204


def test_an_example_without_a_status_is_refused():
    with pytest.raises(ValueError, match="does not say its status"):
        examples_in("sample", "```sh\ncurl $CRM\n```\n")


@pytest.mark.django_db(transaction=True, reset_sequences=True)
@pytest.mark.parametrize("example", all_examples(), ids=lambda ex: ex.id)
def test_doc_example_answers_as_documented(example: Example, live_server, request, tmp_path):
    env_vars = request.getfixturevalue(f"docs_{example.page}")
    # A private curlrc makes curl print the status after the body without changing the examples.
    (tmp_path / ".curlrc").write_text('silent\nshow-error\nwrite-out = "\\n=> %{http_code}\\n"\n')
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "CURL_HOME": str(tmp_path),
        "NO_PROXY": "*",
        "CRM": live_server.url,
        **env_vars,
    }
    script = example.script.replace("curl ", f"{CURL} ", 1)
    result = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    statuses = WRITTEN_STATUS.findall(result.stdout)
    assert statuses, f"curl printed no status: {result.stdout!r} {result.stderr!r}"
    assert int(statuses[-1]) == example.status, result.stdout
    for text in example.contains:
        assert text in result.stdout, f"{text!r} not in {result.stdout!r}"
