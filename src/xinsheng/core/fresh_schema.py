"""A new, empty SQLite database made in one go, for ``xinsheng demo --serve``.

Running the migrations one by one re-renders the models' history at every step, which takes most
of half a minute on a small machine. A database that has no table at all has no data for them to
carry along, so its tables are created at once from the models as they stand (what the migrations
end in: ``makemigrations --check`` holds them equal), every migration is recorded as applied, and
the data steps of our own migrations (default rows such as the talk tiers) are run on the empty
tables. Anything else — PostgreSQL, a database with tables — goes through ``migrate``.
"""

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, migrations
from django.db.migrations.executor import MigrationExecutor

OUR_APPS = "xinsheng."


def schema_create_fresh(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Create every table of an empty SQLite database at once; False if it is not one."""
    connection = connections[alias]
    if connection.vendor != "sqlite" or connection.introspection.table_names():
        return False
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if any(not _plain(operation) for migration, _ in plan for operation in migration.operations):
        return False  # a step that is not the models' own (raw SQL): only migrate knows it
    kept = settings.MIGRATION_MODULES
    settings.MIGRATION_MODULES = dict.fromkeys(_labels())
    try:  # every app without migrations: its tables made from the models, then post_migrate
        call_command(
            "migrate",
            database=alias,
            run_syncdb=True,
            interactive=False,
            verbosity=0,
            skip_checks=True,
        )
    finally:
        settings.MIGRATION_MODULES = kept
    apps = executor.loader.project_state().apps
    with connection.schema_editor() as editor:
        for migration, _backwards in plan:
            if migration.app_label in _our_labels():
                for operation in migration.operations:
                    if isinstance(operation, migrations.RunPython):
                        operation.code(apps, editor)
    for migration, _backwards in plan:
        for app_label, name in [*migration.replaces, (migration.app_label, migration.name)]:
            executor.recorder.record_applied(app_label, name)
    if MigrationExecutor(connection).migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("the fresh database misses migrations")  # pragma: no cover
    return True


def _plain(operation: migrations.operations.base.Operation) -> bool:
    """Return whether ``operation`` leaves what the models say, or only rows (run later)."""
    return not isinstance(operation, migrations.RunSQL | migrations.SeparateDatabaseAndState)


def _labels() -> list[str]:
    from django.apps import apps

    return [config.label for config in apps.get_app_configs()]


def _our_labels() -> set[str]:
    from django.apps import apps

    return {config.label for config in apps.get_app_configs() if config.name.startswith(OUR_APPS)}
