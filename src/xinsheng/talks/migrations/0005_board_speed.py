"""The board's tally by calendar month, quarter and year replaces the monthly counts; counted
records follow deletes; the aggregates are built again from the records on their next pass."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def build_again(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Forget how far the aggregates had read: the next pass builds them from the records."""
    apps.get_model("talks", "TalkReach").objects.all().delete()
    state = apps.get_model("talks", "TalkFiguresState")
    state.objects.all().delete()
    state.objects.create(seen_until=None)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0005_people_attributes"),
        ("talks", "0004_talk_cycles"),
    ]

    operations = [
        migrations.DeleteModel(name="TalkCount"),
        migrations.DeleteModel(name="TalkCounted"),
        migrations.CreateModel(
            name="TalkTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("unit_path", models.CharField(max_length=255)),
                ("span", models.CharField(max_length=8)),
                ("starts_on", models.DateField()),
                ("talks", models.IntegerField(default=0)),
                ("visits", models.IntegerField(default=0)),
                ("home_visits", models.IntegerField(default=0)),
                ("person_times", models.IntegerField(default=0)),
                ("people", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("span", "starts_on", "unit_path"), name="talks_tally_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="TalkCounted",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("updated_at", models.DateTimeField()),
                ("unit_path", models.CharField(max_length=255)),
                ("month", models.DateField()),
                ("kind", models.CharField(max_length=16)),
                ("people", models.JSONField(default=list)),
                (
                    "record",
                    models.OneToOneField(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="talks.talkrecord",
                    ),
                ),
            ],
        ),
        migrations.AlterField(
            model_name="talkreach",
            name="person",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="org.person",
            ),
        ),
        migrations.RunPython(build_again, migrations.RunPython.noop),
    ]
