"""The import page: upload, mapping with the guess, preview with errors, the run as a job, the limits."""

from __future__ import annotations

import csv
import re
import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contacts.importers import import_preview, source_open
from contacts.importers.reading import source_count
from contacts.models import Contact, Job

pytestmark = pytest.mark.django_db

CSV = (
    "First Name,Last Name,E-mail Address,Mobile Phone,Shoe size\r\n"
    "Ada,Lovelace,ada@example.com,+44 7700 900123,38\r\n"
    "Alan,Turing,not-an-email,,44\r\n"
    "Grace,Hopper,grace@example.com,,37\r\n"
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, content: bytes, name: str = "people.csv"):
    return client.post(reverse("contacts:import-upload"), {"file": SimpleUploadedFile(name, content)})


def test_upload_map_preview_and_run_as_a_job_with_its_rejected_rows(alice_client, alice, project, media):
    response = upload(alice_client, CSV.encode())
    mapping_url = response.url
    assert response.status_code == 302 and list((media / "imports").rglob("*.csv"))

    page = alice_client.get(mapping_url).content.decode()
    assert "CSV file, utf-8, comma-separated" in page
    assert re.search(r'<option value="tel.1:work cell" selected>Phone 1 \(work cell\)</option>', page)
    assert "1 column maps to no field and will not be imported unless you choose one: Shoe size." in page

    form = {f"column_{i}": code for i, code in enumerate(["first_name", "last_name", "email.1", "tel.1:work cell", ""])}
    preview = alice_client.post(mapping_url, form | {"action": "preview", "projects": [project.pk]}).content.decode()
    assert "E-mail Address: not-an-email is not a valid email address." in preview
    assert 'value="run"' in preview
    assert not Contact.objects.exists()

    run = alice_client.post(mapping_url, form | {"action": "run", "projects": [project.pk]})

    job = Job.objects.get()
    assert run.url == job.get_absolute_url()
    assert (job.kind, job.status, job.done, job.total) == ("import", "done", 3, 3)
    assert job.result["Contacts created"] == 2 and job.result["Rows rejected"] == 1
    assert job.result["Row 3"] == "E-mail Address: not-an-email is not a valid email address."
    rejected = list(csv.reader(job.file.open("r").read().lstrip("\ufeff").splitlines()))
    assert rejected == [["First Name", "Last Name", "E-mail Address", "Mobile Phone", "Shoe size", "Error"],
                        ["Alan", "Turing", "not-an-email", "", "44",
                         "E-mail Address: not-an-email is not a valid email address."]]  # fmt: skip
    assert set(Contact.objects.values_list("last_name", flat=True)) == {"Lovelace", "Hopper"}
    assert set(Contact.objects.get(last_name="Hopper").projects.all()) == {project}
    assert "Download rejected-rows.csv" in alice_client.get(job.get_absolute_url()).content.decode()


def test_a_mapping_without_a_name_is_refused_with_a_message(alice_client, media):
    mapping_url = upload(alice_client, CSV.encode()).url

    page = alice_client.post(mapping_url, {"column_2": "email.1", "action": "preview"}).content.decode()

    assert "No column gives a contact&#x27;s name" in page
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.csv", "The submitted file is empty."),
        (b"Name,Email\r\n", "header.csv", "The file has a header line but no rows to import."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.png", "This is a PNG image, not a CSV or vCard file."),
    ],
)
def test_a_file_that_cannot_be_imported_gets_a_form_error_not_a_500(alice_client, media, content, name, message):
    response = upload(alice_client, content, name)

    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not list(Path(media).rglob("*.*"))  # nothing kept of a refused file


def test_an_upload_over_the_limit_is_stopped_with_a_message(alice_client, media, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024

    response = upload(alice_client, b"Name\r\n" + b"Ada Lovelace\r\n" * 100_000)

    assert response.status_code == 200
    assert "The file is larger than 1 MB, the largest import." in response.content.decode()


def test_another_users_upload_is_not_found(alice_client, client, bob, media):
    mapping_url = upload(alice_client, CSV.encode()).url
    client.force_login(bob)

    assert client.get(mapping_url).status_code == 404
    assert client.get(reverse("contacts:import-mapping", args=["forged"])).status_code == 404


def test_the_contact_list_and_the_nav_link_to_the_import_page(alice_client):
    page = alice_client.get(reverse("contacts:contact-list")).content.decode()

    assert page.count(f'href="{reverse("contacts:import-upload")}"') == 2


def test_a_vcard_file_needs_no_mapping_and_imports(alice_client, alice, media):
    card = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.com\r\nEND:VCARD\r\n"
    )
    mapping_url = upload(alice_client, card, "ada.vcf").url

    assert "vCard file, utf-8" in alice_client.get(mapping_url).content.decode()
    alice_client.post(mapping_url, {"action": "run"})

    assert Contact.objects.get().emails[0].value == "ada@example.com"


@pytest.mark.slow
def test_a_100_mb_file_is_taken_and_read_as_a_stream(alice_client, media, tmp_path):
    path = tmp_path / "big.csv"
    row = "Ada,Lovelace,ada@example.com,+44 7700 900123," + "x" * 150 + "\r\n"
    rows = 100 * 1024 * 1024 // len(row) + 1
    with open(path, "w", newline="") as handle:
        handle.write("First name,Last name,Email,Phone,Background\r\n")
        for _ in range(rows // 1000):
            handle.write(row * 1000)
    assert path.stat().st_size >= 100 * 1024 * 1024 - 200 * 1000

    with open(path, "rb") as handle:
        response = alice_client.post(reverse("contacts:import-upload"), {"file": handle})
    assert response.status_code == 302

    tracemalloc.start()
    source = source_open(path)
    preview = import_preview(source=source, targets=["first_name", "last_name", "email.1", "tel.1", "background"],
                             user=None)  # fmt: skip
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert source_count(source) == rows // 1000 * 1000  # one streamed pass over every row
    assert len(preview) == 10 and not preview[0].errors
    assert peak < 16 * 1024 * 1024  # a few MiB, not the file
