"""The sums of each unit's subtree beside the unit rows, filled from the unit rows in SQL."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# The counters as they stand in this migration (a later migration adding one fills it itself).
COUNTERS = (
    "received",
    "rejected",
    "merged",
    "dispatched",
    "returned",
    "response_due",
    "responded",
    "rated",
    "solved",
    "satisfied",
    "basically_satisfied",
    "unsatisfied",
    "reopened",
    "supervised",
    "closed",
    "closed_on_time",
    "closed_unrated",
    "handled",
    "handling_days",
)
STEPLEN = 4  # characters per tree level of OrgUnit.path


def fill(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Sum every subtree row from the unit rows: per tree level, the unit rows grouped by
    their path cut to that level's length, joined to the unit of that level with that path."""
    quote = schema_editor.quote_name
    units = apps.get_model("org", "OrgUnit")
    deepest = units.objects.aggregate(top=models.Max("depth"))["top"] or 0
    unit_table = quote(units._meta.db_table)
    tables = {
        name: quote(apps.get_model("reports", name)._meta.db_table)
        for name in ("UnitFigures", "UnitBreakdown", "SubtreeFigures", "SubtreeBreakdown")
    }
    columns = ", ".join(COUNTERS)
    sums = ", ".join(f"SUM(f.{name})" for name in COUNTERS)
    for depth in range(1, deepest + 1):
        cut = [depth, depth * STEPLEN]
        schema_editor.execute(
            f"INSERT INTO {tables['SubtreeFigures']} (grain, start, unit_id, path, {columns}) "
            f"SELECT f.grain, f.start, u.id, u.path, {sums} "
            f"FROM {tables['UnitFigures']} f JOIN {unit_table} u "
            "ON u.depth = %s AND u.path = SUBSTR(f.path, 1, %s) "
            "GROUP BY f.grain, f.start, u.id, u.path",
            cut,
        )
        schema_editor.execute(
            f"INSERT INTO {tables['SubtreeBreakdown']} "
            "(grain, start, unit_id, path, dimension, key, cases) "
            "SELECT f.grain, f.start, u.id, u.path, f.dimension, f.key, SUM(f.cases) "
            f"FROM {tables['UnitBreakdown']} f JOIN {unit_table} u "
            "ON u.depth = %s AND u.path = SUBSTR(f.path, 1, %s) "
            "GROUP BY f.grain, f.start, u.id, u.path, f.dimension, f.key",
            cut,
        )
    if schema_editor.connection.vendor == "postgresql":
        # The planner's statistics of the new rows now, not at autovacuum's next pass: without
        # them it reads the dashboard's few rows by a plan made for an empty table.
        schema_editor.execute(f"ANALYZE {tables['SubtreeFigures']}, {tables['SubtreeBreakdown']}")


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0007_person_birth_date'),
        ('reports', '0002_briefing'),
    ]

    operations = [
        migrations.CreateModel(
            name='SubtreeBreakdown',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('grain', models.CharField(choices=[('d', '日'), ('m', '月'), ('y', '年')], max_length=1)),
                ('start', models.DateField()),
                ('path', models.CharField(max_length=255)),
                ('dimension', models.CharField(choices=[('channel', '渠道'), ('category', '类别')], max_length=8)),
                ('key', models.CharField(blank=True, max_length=32)),
                ('cases', models.PositiveIntegerField(default=0)),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.orgunit')),
            ],
            options={
                'verbose_name': '下辖分类统计',
                'verbose_name_plural': '下辖分类统计',
                'constraints': [models.UniqueConstraint(fields=('unit', 'grain', 'dimension', 'start', 'key'), name='reports_subtreebreakdown_one_row')],
            },
        ),
        migrations.CreateModel(
            name='SubtreeFigures',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('received', models.PositiveIntegerField(default=0)),
                ('rejected', models.PositiveIntegerField(default=0)),
                ('merged', models.PositiveIntegerField(default=0)),
                ('dispatched', models.PositiveIntegerField(default=0)),
                ('returned', models.PositiveIntegerField(default=0)),
                ('response_due', models.PositiveIntegerField(default=0)),
                ('responded', models.PositiveIntegerField(default=0)),
                ('rated', models.PositiveIntegerField(default=0)),
                ('solved', models.PositiveIntegerField(default=0)),
                ('satisfied', models.PositiveIntegerField(default=0)),
                ('basically_satisfied', models.PositiveIntegerField(default=0)),
                ('unsatisfied', models.PositiveIntegerField(default=0)),
                ('reopened', models.PositiveIntegerField(default=0)),
                ('supervised', models.PositiveIntegerField(default=0)),
                ('closed', models.PositiveIntegerField(default=0)),
                ('closed_on_time', models.PositiveIntegerField(default=0)),
                ('closed_unrated', models.PositiveIntegerField(default=0)),
                ('handled', models.PositiveIntegerField(default=0)),
                ('handling_days', models.PositiveIntegerField(default=0)),
                ('grain', models.CharField(choices=[('d', '日'), ('m', '月'), ('y', '年')], max_length=1)),
                ('start', models.DateField()),
                ('path', models.CharField(max_length=255)),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.orgunit')),
            ],
            options={
                'verbose_name': '下辖统计',
                'verbose_name_plural': '下辖统计',
                'constraints': [models.UniqueConstraint(fields=('unit', 'grain', 'start'), name='reports_subtreefigures_one_row')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
