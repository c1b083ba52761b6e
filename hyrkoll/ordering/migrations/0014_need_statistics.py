"""Extended statistics (PostgreSQL): a need's unit, and its orderer, each decide its region.

An orderer's need list reads its two parts (``queues.orderer_need_parts``: the needs of their units,
the needs they created elsewhere) each with the region the user may see. Without these statistics
PostgreSQL multiplies the selectivities of ``created_by_id = …`` (or ``unit_id = …``) and
``region_id = …`` as if they were independent: it took an orderer's 11,000 needs for 358, read all of
them by bitmap and sorted them for one page (12–17 ms in the load benchmark's run 26) instead of
walking ``need_orderer_newest`` newest first until the page is full. (Run 22 tried them on the single
"unit or orderer" query: dependency statistics do not cover an OR.) ANALYZE fills them at once (the
table's next automatic ANALYZE may be far off on a large table).
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
        ("ordering", "0013_region_status_tallies"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
