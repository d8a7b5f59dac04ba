"""Single rows written through statements compiled once per process.

The ORM compiles an INSERT or an UPDATE afresh for every ``save`` and every ``update``. For the
public writes that many employees make at once (a quiz attempt started, then submitted) the
compiling costs about as much processor time as the round trip to the database. These two
functions write the very rows the ORM would write (each value prepared by its field as the ORM
prepares it) through a statement built once per model and set of columns. Like
``QuerySet.update`` they send no model signals; the project keeps no logic in signals.
"""

from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import Field, Model


def row_insert(instance: Model) -> None:
    """Insert the new ``instance`` as ``instance.save(force_insert=True)`` does; set its key."""
    model = type(instance)
    fields = _insert_fields(model) if connection.features.can_return_columns_from_insert else None
    if fields is None or instance.pk is not None:
        instance.save(force_insert=True)
        return
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(_insert_statement(model, connection.vendor), values)
        (instance.pk,) = cursor.fetchone()  # an INSERT … RETURNING answers with its row
    instance._state.adding = False
    instance._state.db = connection.alias


def rows_update(model: type[Model], *, values: dict[str, Any], where: dict[str, Any]) -> int:
    """Set ``values`` on the rows of ``model`` matching ``where`` and return how many changed,
    as ``model.objects.filter(**where).update(**values)`` does.

    ``where`` maps field names to a value the column equals, or to None for a column that is
    null; the values are plain values (no expressions).
    """
    meta = model._meta
    set_fields = [meta.get_field(name) for name in values]
    where_fields = [meta.pk if name == "pk" else meta.get_field(name) for name in where]
    params = [
        field.get_db_prep_save(value, connection)  # type: ignore[union-attr]
        for field, value in zip(set_fields, values.values(), strict=True)
    ]
    params += [
        field.get_db_prep_value(value, connection, prepared=False)  # type: ignore[union-attr]
        for field, value in zip(where_fields, where.values(), strict=True)
        if value is not None
    ]
    sql = _update_statement(
        model,
        connection.vendor,
        tuple(values),
        tuple((name, value is None) for name, value in where.items()),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


@lru_cache(maxsize=32)
def _insert_fields(model: type[Model]) -> tuple[Field[Any, Any], ...] | None:
    """Return the fields an insert of ``model`` writes, or None when ``save`` must do it (a
    model with parents, database defaults, generated columns or special placeholders)."""
    meta = model._meta
    fields = tuple(f for f in meta.local_concrete_fields if f is not meta.auto_field)
    if (
        meta.auto_field is None
        or meta.parents
        or list(meta.db_returning_fields) != [meta.auto_field]
        or any(f.generated or f.has_db_default() or hasattr(f, "get_placeholder") for f in fields)
    ):
        return None
    return fields


@lru_cache(maxsize=32)
def _insert_statement(model: type[Model], vendor: str) -> str:
    fields = _insert_fields(model) or ()
    meta = model._meta
    columns = ", ".join(_column(f) for f in fields)
    holders = ", ".join("%s" for _ in fields)
    key = _column(meta.auto_field)
    table = connection.ops.quote_name(meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES ({holders}) RETURNING {key}"  # noqa: S608


@lru_cache(maxsize=32)
def _update_statement(
    model: type[Model], vendor: str, names: tuple[str, ...], where: tuple[tuple[str, bool], ...]
) -> str:
    meta = model._meta

    def column(name: str) -> str:
        field = meta.pk if name == "pk" else meta.get_field(name)
        if hasattr(field, "get_placeholder"):
            raise TypeError(f"{model.__name__}.{name} needs its own placeholder")
        return _column(field)

    settings = ", ".join(f"{column(name)} = %s" for name in names)
    conditions = " AND ".join(
        f"{column(name)} IS NULL" if null else f"{column(name)} = %s" for name, null in where
    )
    table = connection.ops.quote_name(meta.db_table)
    return f"UPDATE {table} SET {settings} WHERE {conditions}"  # noqa: S608


def _column(field: Any) -> str:
    """Return the quoted column of ``field``; names come from the models, never from input."""
    if not isinstance(getattr(field, "column", None), str):
        raise TypeError(f"{field!r} has no column")
    return str(connection.ops.quote_name(field.column))
