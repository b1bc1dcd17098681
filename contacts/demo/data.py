"""The demo data set's vocabulary: people's and companies' names, industries, titles, cities and
streets, tags, custom fields, projects, users, currencies, visibilities and notes, and the
namespace of the demo contacts' UUIDs."""

from __future__ import annotations

import uuid

from contacts.models import CustomField, Note, Visibility

DEMO_NAMESPACE = uuid.UUID("6f1c7a8e-3b7d-4d8e-9f51-2a0c4b6d8e10")


DEMO_NAMESPACE_BYTES = DEMO_NAMESPACE.bytes


FIRST = [
    "Anna",
    "Ben",
    "Carla",
    "David",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Irene",
    "Jonas",
    "Kira",
    "Liam",
    "Maya",
    "Noah",
    "Olga",
    "Pablo",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Walter",
    "Xenia",
    "Yusuf",
    "Zoe",
    "Marta",
    "Lukas",
    "Ines",
    "Omar",
    "Julia",
    "Theo",
    "Nadia",
    "Emil",
    "Sofia",
    "Marco",
    "Lea",
    "Ivan",
]


LAST = [
    "Schmidt",
    "Rossi",
    "Dubois",
    "Novak",
    "Jensen",
    "Garcia",
    "Kowalski",
    "Silva",
    "Moreau",
    "Fischer",
    "Bauer",
    "Costa",
    "Lindqvist",
    "Horvat",
    "Petrov",
    "Okafor",
    "Tanaka",
    "Haddad",
    "Murphy",
    "Weber",
    "Laurent",
    "Conti",
    "Nielsen",
    "Varga",
    "Romero",
    "Keller",
    "Brown",
    "Ivanova",
    "Meyer",
]


COMPANY_WORDS = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Hooli",
    "Vandelay",
    "Wonka",
    "Oscorp",
    "Aperture",
    "Gringotts",
    "Monarch",
    "Nakatomi",
    "Pied",
    "Piper",
    "Dunder",
    "Sterling",
    "Vehement",
    "Massive",
    "Dynamic",
    "Blue",
    "Sun",
    "Northwind",
]


COMPANY_SUFFIX = ["Ltd", "GmbH", "SA", "Inc.", "BV", "AB", "Oy", "SRL"]


INDUSTRIES = ["Software", "Logistics", "Retail", "Manufacturing", "Media", "Consulting", "Energy", "Health"]


TITLES = ["CEO", "CTO", "Sales manager", "Buyer", "Engineer", "Accountant", "Office manager", "Designer"]


CITIES = [
    ("Berlin", "DE", "10115"),
    ("Lyon", "FR", "69001"),
    ("Milano", "IT", "20121"),
    ("Barcelona", "ES", "08029"),
    ("Utrecht", "NL", "3511"),
    ("Göteborg", "SE", "41101"),
    ("Austin", "US", "73301"),
    ("Leeds", "GB", "LS1 1UR"),
]


STREETS = ["Main Street", "Station Road", "Rue de la Paix", "Via Roma", "Calle Mayor", "Kungsgatan"]


TAGS = [
    ("vip", "#dc2626"),
    ("referral", "#2563eb"),
    ("cold call", "#0891b2"),
    ("newsletter", "#16a34a"),
    ("event 2026", "#9333ea"),
    ("partner", "#ea580c"),
]


CUSTOM_FIELDS = [
    ("License", CustomField.Format.LIST, ["Basic", "Pro", "Enterprise"], CustomField.AppliesTo.BOTH),
    ("Purchase date", CustomField.Format.DATE, [], CustomField.AppliesTo.BOTH),
    ("Employees", CustomField.Format.INTEGER, [], CustomField.AppliesTo.COMPANIES),
    ("Newsletter opt-in", CustomField.Format.BOOLEAN, [], CustomField.AppliesTo.PERSONS),
]


PROJECTS = [("Sales", "sales"), ("Support", "support"), ("Partners", "partners")]


USERS = [("alice", "Alice", "Martin"), ("bob", "Bob", "Keller"), ("carol", "Carol", "Nguyen")]


CURRENCIES = ["EUR", "USD", "GBP", "SEK"]


VISIBILITIES = [str(Visibility.PUBLIC), str(Visibility.PROJECT), str(Visibility.PRIVATE)]


NOTE_KINDS = [str(kind) for kind in Note.Kind.values]


NOTE_TEXTS = ["Called, wants a quote.", "Met at the fair.", "Sent the brochure."]
