"""Drop the LIKE-pattern indexes PostgreSQL gets beside every unique text column of a case.

Case numbers, receipt hashes and intake keys are only ever looked up whole (the unique index
serves that); no query matches them by pattern, so their ``varchar_pattern_ops`` twins only
cost every new voice three more index writes.
"""

from django.db import migrations

COLUMNS = ("case_no", "receipt_hash", "intake_key")


def drop_like_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'cases_case' "
            "AND indexname LIKE %s",
            ["%\\_like"],
        )
        for (name,) in cursor.fetchall():
            if any(name.startswith(f"cases_case_{column}_") for column in COLUMNS):
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0005_case_text_original"),
    ]

    operations = [
        migrations.RunPython(drop_like_indexes, migrations.RunPython.noop, elidable=True),
    ]
