"""Regions, all 290 municipalities with their (approximate) price zone, and care areas."""

from django.db import migrations


def forwards(apps, schema_editor):
    from hyrkoll.organisation.reference import load_reference_data

    load_reference_data(
        apps.get_model("organisation", "Region"),
        apps.get_model("organisation", "Municipality"),
        apps.get_model("organisation", "CareArea"),
    )


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
