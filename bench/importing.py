"""The import benchmark's file: contacts as this CRM's export writes them, four items each.

`write_import_file(path, contacts)` writes a CSV of `contacts` rows (a company every tenth row,
persons working there), each with two phones, an email and a website, an address, tags and a
custom value, so the figure covers every kind of check and table the import writes.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HEADERS = [
    "Kind", "First name", "Last name", "Company name", "Company", "Job title", "Tags", "Phone 1", "Phone 1 type",
    "Phone 2", "Phone 2 type", "Email 1", "Email 1 type", "Website 1", "Address 1 street", "Address 1 city",
    "Address 1 postcode", "Address 1 country", "Address 1 type",
]  # fmt: skip
FIRST = ["Anna", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hugo", "Irene", "Jonas", "Kira", "Liam"]
LAST = ["Schmidt", "Rossi", "Dubois", "Novak", "Jensen", "Garcia", "Kowalski", "Silva", "Moreau", "Fischer"]
TITLES = ["CEO", "CTO", "Buyer", "Engineer", "Accountant"]
TAGS = ["", "vip", "referral", "vip; newsletter", "event 2026"]
CITIES = [("Berlin", "10115", "DE"), ("Lyon", "69001", "FR"), ("Austin", "73301", "US"), ("Leeds", "LS1 1UR", "GB")]


def write_import_file(path: Path, contacts: int, *, seed: int = 7) -> int:
    """Write the file; return how many items (phones, emails, websites) it holds."""
    rng = random.Random(seed)
    items = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        company = ""
        for index in range(contacts):
            city, postcode, country = rng.choice(CITIES)
            number = f"+1 {200 + index % 790} {100 + index // 790 % 900} {1000 + index % 9000}"
            mobile = f"+49 151 {1000000 + index}"
            if index % 10 == 0:
                company = f"Bench Company {index}"
                slug = f"company-{index}"
                names = ["company", "", "", company, "", ""]
            else:
                first, last = rng.choice(FIRST), rng.choice(LAST)
                slug = f"{first}.{last}.{index}".lower()
                names = ["person", first, last, "", company, rng.choice(TITLES)]
            writer.writerow([
                *names, rng.choice(TAGS), number, "work voice pref", mobile, "work cell", f"{slug}@example.com",
                "work", f"https://{slug.replace('.', '-')}.example.com", f"{index % 200 + 1} Main Street", city,
                postcode, country, "work",
            ])  # fmt: skip
            items += 4
    return items
