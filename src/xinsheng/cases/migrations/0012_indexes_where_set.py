"""A new voice writes fewer index entries.

The foreign keys a voice does not have when it arrives (category, responsible unit, handler,
recorder, the case it was merged into) are indexed only where set; every query of them asks for
a value, so it still finds them through the index. The LIKE-pattern index PostgreSQL added
beside the intake key's hash when the column was renamed (0008) is dropped, as 0006 dropped
the others: the hash is only ever looked up whole.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def drop_intake_key_like_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'cases_case' AND indexname LIKE %s",
            ["cases\\_case\\_intake\\_key\\_hash\\_%\\_like"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_category_english_name"),
        ("org", "0007_person_birth_date"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_intake_key_like_index, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="case",
            name="category",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="cases.category",
                verbose_name="类别",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="handler",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="承办人",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="merged_cases",
                to="cases.case",
                verbose_name="合并至",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="记录人",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="responsible_unit",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases_owned",
                to="org.orgunit",
                verbose_name="责任单位",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("category__isnull", False)),
                fields=["category"],
                name="cases_category_set",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("responsible_unit__isnull", False)),
                fields=["responsible_unit"],
                name="cases_responsible_unit_set",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("handler__isnull", False)),
                fields=["handler"],
                name="cases_handler_set",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("recorded_by__isnull", False)),
                fields=["recorded_by"],
                name="cases_recorded_by_set",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", False)),
                fields=["merged_into"],
                name="cases_merged_into_set",
            ),
        ),
    ]
