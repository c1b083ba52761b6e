"""SupplierCostEntry without the unit in its key: one row per region × month × supplier × profession
× care area (× import), with the amount per unit in ``units`` (issue 12: the benchmark ledger's
544,156 rows become 132,080).

The existing rows are collapsed in the database, by one INSERT … SELECT and one DELETE per vendor
(nothing is loaded into Python): the amounts are first added up per unit (in case a unit repeats
within a new row), the new row's ``units`` maps each unit code to its amount as text with two
decimals and its amount is their sum. The old rows are told from the new ones by their empty
``units`` (every new row has at least one unit). Reversible: each unit becomes a row again.
"""

from django.db import migrations, models

KEY = "region_id, period, supplier_org_no, profession, care_area, cost_import_id"


def _sqlite_text(cents: str) -> str:
    """SQL for an integer amount of öre as text with two decimals (as Django writes a decimal)."""
    return (
        f"CASE WHEN {cents} < 0 THEN '-' ELSE '' END || (abs({cents}) / 100) || '.' "
        f"|| printf('%02d', abs({cents}) % 100)"
    )


def collapse(connection, table: str) -> None:
    """Rows of ``table`` with a unit each (``units`` empty) collapsed into rows with ``units``."""
    quoted = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        empty = "'{}'::jsonb"
        per_unit = "SUM(amount_sek) AS amount"
        total, units = "SUM(amount)", "jsonb_object_agg(unit, amount::text)"
    elif connection.vendor == "sqlite":
        # SQLite keeps a decimal as a float (NUMERIC affinity): added up in whole öre, exactly.
        empty = "'{}'"
        per_unit = "SUM(CAST(round(amount_sek * 100) AS INTEGER)) AS amount"
        total, units = _sqlite_text("SUM(amount)"), f"json_group_object(unit, {_sqlite_text('amount')})"
    else:
        raise NotImplementedError(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {quoted} ({KEY}, unit, amount_sek, units)
                SELECT {KEY}, '', {total}, {units}
                FROM (SELECT {KEY}, unit, {per_unit} FROM {quoted} WHERE units = {empty}
                      GROUP BY {KEY}, unit ORDER BY {KEY}, unit) per_unit
                GROUP BY {KEY}"""
        )
        cursor.execute(f"DELETE FROM {quoted} WHERE units = {empty}")


def expand(connection, table: str) -> None:
    """The reverse: a row per unit of each row with ``units``."""
    quoted = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        empty, each, amount = "'{}'::jsonb", "jsonb_each_text(t.units)", "CAST(e.value AS numeric)"
    else:
        empty, each, amount = "'{}'", "json_each(t.units)", "e.value"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {quoted} ({KEY}, unit, amount_sek, units)
                SELECT {", ".join(f"t.{column}" for column in KEY.split(", "))}, e.key, {amount}, {empty}
                FROM {quoted} t, {each} e WHERE t.units <> {empty}"""
        )
        cursor.execute(f"DELETE FROM {quoted} WHERE units <> {empty}")


def to_units(apps, schema_editor) -> None:
    collapse(schema_editor.connection, apps.get_model("followup", "SupplierCostEntry")._meta.db_table)


def to_rows_per_unit(apps, schema_editor) -> None:
    expand(schema_editor.connection, apps.get_model("followup", "SupplierCostEntry")._meta.db_table)


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0004_supplier_cost_entry_without_import_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="suppliercostentry",
            name="units",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text=(
                    'Unit code → amount (SEK, two decimals, as text), e.g. {"K14P0001": "12500.50"}; the '
                    "empty code for lines without a unit."
                ),
                verbose_name="amount per unit",
            ),
        ),
        migrations.RunPython(to_units, to_rows_per_unit),
        migrations.RemoveField(
            model_name="suppliercostentry",
            name="unit",
        ),
    ]
