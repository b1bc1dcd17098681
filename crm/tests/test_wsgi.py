"""The WSGI entry point: what it leaves loaded and frozen for the requests it serves."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, sys
import crm.wsgi
print(gc.get_freeze_count(), "dialects.onlyoffice.views.contacts" in sys.modules)
"""


def test_loading_the_app_loads_the_urlconf_and_freezes_the_heap_out_of_the_collector():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "crm.settings"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    frozen, views_loaded = result.stdout.split()
    assert int(frozen) > 10_000
    assert views_loaded == "True"
