"""The production static pipeline: `collectstatic` with the manifest storage takes every vendored file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_collectstatic_with_the_manifest_storage_post_processes_every_file(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DEBUG": "0", "SECRET_KEY": "static-" + "x" * 40,
           "STATIC_ROOT": str(tmp_path / "static"), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}  # fmt: skip
    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/swagger-ui/swagger-ui.css" in manifest
