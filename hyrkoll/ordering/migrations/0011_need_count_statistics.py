"""Extended statistics (PostgreSQL): a need's unit, and its orderer, each decide its region.

Without them PostgreSQL multiplies the selectivities of ``unit_id = …`` (or ``created_by_id = …``)
and ``region_id = …`` as if they were independent, so it estimated an orderer's 31,000 needs in the
region at 368 rows through ``need_orderer_count`` (migration 0010), read all of them by bitmap and
sorted them for one page of the need list (60–96 ms in the load benchmark's run 21) instead of walking
``need_region_newest`` newest first until the page is full. ANALYZE fills them at once (the table's
next automatic ANALYZE may be far off on a large table).
"""

from django.db import migrations

STATISTICS = {
    "need_unit_region": "unit_id, region_id",
    "need_orderer_region": "created_by_id, region_id",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in STATISTICS.items():
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {name} (dependencies) ON {columns} FROM ordering_need"
        )
    schema_editor.execute("ANALYZE ordering_need")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in STATISTICS:
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("ordering", "0010_need_count_indexes"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
