"""LOOKUP goes through the production server stack: gunicorn passes the verb to the view.

The server is a real deployment (crm/testing.py): its own database, two gunicorn workers on
127.0.0.1 and a free port, for as long as the test takes.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from typing import Any


def call(url: str, method: str, body: object, auth: tuple[str, str]) -> tuple[int, object]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method=method)
    request.add_header("Content-Type", "application/json; charset=utf-8")
    request.add_header("Authorization", "Basic " + base64.b64encode(":".join(auth).encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_lookup_works_through_gunicorn(served_crm: Any) -> None:
    base = served_crm.url("/rest/v1/addressbook")
    auth = ("admin", "admin-pass-123")
    assert call(f"{base}/contacts", "LOOKUP", "+1 202 555 0111", auth) == (
        404,
        {"error_code": 1404, "error_message": "Lookup failed"},
    )
    status, created = call(f"{base}/contacts", "POST", {"displayname": "A B", "number": "+1 202 555 0111"}, auth)
    assert status == 200
    assert call(f"{base}/contacts", "LOOKUP", "+1 202 555 0111", auth) == (200, [created["id"]])
    assert call(f"{base}/contacts", "LOOKUP", created["autokey"], auth) == (200, [created["id"]])
