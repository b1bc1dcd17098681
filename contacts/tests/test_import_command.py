"""manage.py import_contacts: the guessed mapping, --map, --project, --dry-run, --update-existing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from contacts.models import Contact

pytestmark = pytest.mark.django_db


def command(*args: str) -> str:
    out = io.StringIO()
    call_command("import_contacts", *args, "--quiet", stdout=out)
    return out.getvalue()


@pytest.fixture
def people(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text("Name;E-mail Address;Mobile;Shoe size\nAda Lovelace;ada@example.com;+44 7700 900123;38\n"
                    "Alan Turing;bad@;;44\n", encoding="cp1252")  # fmt: skip
    return path


def test_imports_with_the_guessed_mapping_and_says_what_went_where(people, alice, project, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    out = command(str(people), "--project", "support", "--user", "alice")

    ada = Contact.objects.get()
    assert "Name → Full name (split into first and last)" in out
    assert "Mobile → Phone 1 (work cell)" in out
    assert "Shoe size maps to no field: not imported (--map to send it)." in out
    assert "Row 3: E-mail Address: bad@ is not a valid email address." in out
    assert "contacts created 1" in out and "rows rejected 1" in out
    assert (ada.first_name, ada.last_name, ada.author, list(ada.projects.all())) == (
        "Ada",
        "Lovelace",
        alice,
        [project],
    )
    assert (tmp_path / "people-rejected.csv").read_text(encoding="utf-8-sig").splitlines()[-1].startswith("Alan Turing")


def test_a_dry_run_writes_nothing(people, tmp_path):
    out = command(str(people), "--dry-run", "--rejected", str(tmp_path / "r.csv"))

    assert "Dry run, nothing written" in out and "contacts created 1" in out
    assert not Contact.objects.exists()


def test_map_overrides_a_column_and_update_existing_matches_by_it(people, make_contact, tmp_path):
    ada = make_contact(first_name="Ada", last_name="Byron", items=[{"kind": "tel", "value": "+44 7700 900123"}])

    out = command(str(people), "--map", "Shoe size=ignore", "--map", "E-mail Address=ignore", "--update-existing",
                  "--match-column", "Mobile", "--rejected", str(tmp_path / "r.csv"))  # fmt: skip

    ada.refresh_from_db()
    assert "contacts updated 1" in out and "contacts created 1" in out
    assert ada.last_name == "Lovelace"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--map", "Nope=tel.1"], "--map 'Nope=tel.1': the file has no column 'Nope'."),
        (["--project", "nowhere"], "There is no project nowhere."),
        (["--match-column", "Name"], "--match-column goes with --update-existing."),
        (["--update-existing", "--match-column", "Shoe size"], "Contacts can be matched on an ID, email"),
        (["--map", "Name=ignore"], "No column gives a contact's name"),
    ],
)
def test_bad_options_stop_with_a_clear_message(people, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        command(str(people), *args)


def test_a_file_that_is_not_an_import_stops_with_its_reason(tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")

    with pytest.raises(CommandError, match="This is a PNG image, not a CSV or vCard file."):
        command(str(path))


def test_without_a_user_companies_are_found_among_all_and_made_once(tmp_path, make_contact):
    acme = make_contact(is_company=True, name="Acme", visibility="private")
    path = tmp_path / "staff.csv"
    path.write_text("Name,Company\nAda Lovelace,ACME\nAlan Turing,Globex\nGrace Hopper,globex\n")

    out = command(str(path), "--rejected", str(tmp_path / "r.csv"))

    assert "contacts created 3" in out and "companies created for persons 1" in out
    people = {c.first_name: c.company.display_name for c in Contact.objects.filter(is_company=False)}
    assert people == {"Ada": acme.display_name, "Alan": "Globex", "Grace": "Globex"}
    assert Contact.objects.get(name="Globex").author is None
