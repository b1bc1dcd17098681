"""Served instances start from a template database built once per version of what makes it."""

from __future__ import annotations

from pathlib import Path

from crm.testing import ServedCRM, fingerprint

MARK = [
    "shell",
    "--no-imports",
    "-c",
    "from projects.models import Project; Project.objects.create(name='Mark', identifier='mark')",
]
COUNT = "from projects.models import Project; print(Project.objects.filter(identifier='mark').count())"


def test_a_template_is_named_after_its_setup_so_another_setup_gets_its_own() -> None:
    assert fingerprint([["migrate"]]) == fingerprint([["migrate"]])
    assert fingerprint([["migrate"]]) != fingerprint([["migrate"], MARK])


def test_each_instance_gets_its_own_copy_of_the_template_with_its_setup_done(tmp_path: Path) -> None:
    first = ServedCRM(tmp_path / "first", setup=[MARK])
    second = ServedCRM(tmp_path / "second", setup=[MARK])
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    try:
        first._copy_template()
        second._copy_template()
        first.manage(
            "shell", "--no-imports", "-c", "from projects.models import Project; Project.objects.all().delete()"
        )
        assert first.manage("shell", "--no-imports", "-c", COUNT).strip() == "0"
        assert second.manage("shell", "--no-imports", "-c", COUNT).strip() == "1"
        assert "admin" in second.manage(
            "shell",
            "--no-imports",
            "-c",
            "from django.contrib.auth.models import User; print(list(User.objects.values_list('username', flat=True)))",
        )
    finally:
        first.stop()
        second.stop()
