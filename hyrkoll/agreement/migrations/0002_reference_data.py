"""The national framework agreement, its sub-areas, professions, levels, demo price lists and
default parameters."""

from django.db import migrations


def forwards(apps, schema_editor):
    from hyrkoll.agreement.reference import load_reference_data

    def get_model(name):
        return apps.get_model(name) if "." in name else apps.get_model("agreement", name)

    load_reference_data(get_model)


class Migration(migrations.Migration):
    dependencies = [
        ("agreement", "0001_initial"),
        ("organisation", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
