"""``FiguresVersion``: one row whose random token database triggers replace after every statement
that writes ``followup_costentry``, ``followup_staffingmetric``, ``followup_regiontarget`` or
``organisation_region`` – the key of the cached dashboards and forecasts (``figures_cache``).

PostgreSQL: one statement-level trigger per table (INSERT, UPDATE, DELETE, TRUNCATE; COPY included),
so an import of thousands of rows replaces the token once per statement, and ENABLE ALWAYS, so it
fires under ``session_replication_role = replica`` too. SQLite has row-level triggers only: one per
table for UPDATE and one for DELETE – not for INSERT: a trigger per inserted row made the benchmark
ledger's import on SQLite 0.6–1.2 s slower; ``figures_cache.marker`` reads the tables' highest ids
there instead. Both upsert the row, so a flushed table gets it back.
"""

import uuid

from django.db import migrations, models

TABLES = ("followup_costentry", "followup_staffingmetric", "followup_regiontarget", "organisation_region")
VERSION_TABLE = "followup_figuresversion"
FUNCTION = "followup_figures_changed"
SQLITE_OPERATIONS = ("update", "delete")  # inserts: figures_cache.marker reads the highest ids


def _trigger(table: str, operation: str = "") -> str:
    return f"{FUNCTION}_{table}" + (f"_{operation}" if operation else "")


def install(apps, schema_editor) -> None:
    apps.get_model("followup", "FiguresVersion").objects.create(pk=1, token=uuid.uuid4().hex)
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(
            f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO {VERSION_TABLE} (id, token) VALUES (1, md5(random()::text || clock_timestamp()::text))
                ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
                RETURN NULL;
            END $$"""
        )
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {_trigger(table)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
            )
            # Also under session_replication_role = replica (the scale generator's COPY), as the tallies.
            schema_editor.execute(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {_trigger(table)}")
    elif connection.vendor == "sqlite":
        for table in TABLES:
            for operation in SQLITE_OPERATIONS:
                schema_editor.execute(
                    f"CREATE TRIGGER {_trigger(table, operation)} AFTER {operation.upper()} ON {table} "
                    f"BEGIN INSERT OR REPLACE INTO {VERSION_TABLE} (id, token) "
                    f"VALUES (1, lower(hex(randomblob(16)))); END"
                )
    else:
        raise NotImplementedError(f"figures-version triggers for {connection.vendor}")


def uninstall(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger(table)} ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    elif connection.vendor == "sqlite":
        for table in TABLES:
            for operation in SQLITE_OPERATIONS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger(table, operation)}")


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0005_supplier_cost_entry_units"),
        ("organisation", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="FiguresVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=32, verbose_name="token")),
            ],
            options={"verbose_name": "figures version", "verbose_name_plural": "figures versions"},
        ),
        migrations.RunPython(install, uninstall),
    ]
