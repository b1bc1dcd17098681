"""Seed the contact types every vendor dialect maps onto, and a few stages."""

from django.db import migrations

TYPES = [
    ("client", "Client", "#2563eb"),
    ("prospect", "Prospect", "#7c3aed"),
    ("supplier", "Supplier", "#0d9488"),
    ("press", "Press", "#db2777"),
    ("partner", "Partner", "#ea580c"),
    ("staff", "Staff", "#4b5563"),
    ("personal", "Personal", "#16a34a"),
    ("other", "Other", "#6b7280"),
]
STAGES = [("Cold", "#60a5fa"), ("Warm", "#f59e0b"), ("Hot", "#ef4444")]


def seed(apps, schema_editor):
    ContactType = apps.get_model("contacts", "ContactType")
    ContactStage = apps.get_model("contacts", "ContactStage")
    for position, (code, name, color) in enumerate(TYPES):
        ContactType.objects.get_or_create(code=code, defaults={"name": name, "color": color, "position": position})
    for position, (name, color) in enumerate(STAGES):
        ContactStage.objects.get_or_create(name=name, defaults={"color": color, "position": position})


def unseed(apps, schema_editor):
    apps.get_model("contacts", "ContactType").objects.filter(code__in=[t[0] for t in TYPES]).delete()
    apps.get_model("contacts", "ContactStage").objects.filter(name__in=[s[0] for s in STAGES]).delete()


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
