"""The catalogue of measures, seeded with the measures the 2016–2018 project reported."""

from django.db import migrations


def forwards(apps, schema_editor):
    from hyrkoll.governance.catalogue import load_catalogue

    load_catalogue(apps.get_model("governance", "Measure"))


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
