"""`manage.py check --deploy` reports no issues with the production environment that
docs/deployment.md documents (its `export` lines are read here, so the page stays true)."""

from __future__ import annotations

import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

from django.conf import settings

DOCS = Path(settings.BASE_DIR) / "docs" / "deployment.md"


def documented_environment() -> dict[str, str]:
    """The variables of the `export` lines of the single-server recipe; a `$(...)` value (the
    secret key) is replaced by a fresh random one."""
    env: dict[str, str] = {}
    for line in DOCS.read_text().splitlines():
        line = line.strip()
        if not line.startswith("export "):
            continue
        line = re.sub(r'"\$\(.*?\)"', "GENERATED", line)
        for word in shlex.split(line)[1:]:
            name, _, value = word.partition("=")
            env[name] = secrets.token_urlsafe(50) if value == "GENERATED" else value
    return env


def run_check(extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # Only the documented variables: nothing of the test run's own environment leaks in.
    base = {name: value for name, value in os.environ.items() if name in ("PATH", "HOME", "LANG", "TMPDIR")}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=base | extra,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_production_environment_passes_check_deploy():
    env = documented_environment()
    assert {"DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"} <= set(env)
    result = run_check(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_still_warns_without_the_https_settings():
    env = documented_environment()
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"):
        env.pop(name)
    result = run_check(env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout
    assert "security.W008" in result.stderr + result.stdout
