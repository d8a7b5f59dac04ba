"""Single rows read through statements compiled once per process.

``Model.objects.select_related(…).filter(…)`` compiles its SQL afresh on every request: for the
public form, read by everyone who scans a unit's code, the compiling costs more processor time
than the round trip to the database. :func:`row_with_one_to_one` reads a row by a unique column
together with the row a one-to-one field of another model points to it from (as
``select_related`` of that reverse relation does), through a statement built once per model and
column, and returns the very instances the ORM would: each value converted by the database
backend's and the field's converters, made by ``Model.from_db`` (deferred loading,
``refresh_from_db`` and saving work as usual), the related one cached on both, or its absence
cached so that reading it raises ``DoesNotExist`` without a query.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model, OneToOneRel

Row = TypeVar("Row", bound=Model)
Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class _Read:
    sql: str
    relation: OneToOneRel
    own: list[str]  # attribute names of the model's columns, in the statement's order
    theirs: list[str]  # … and of the related model's, its key first
    converters: list[tuple[int, Field[Any, Any], list[Converter]]]


def row_with_one_to_one(model: type[Row], column: str, value: Any, related: str) -> Row | None:
    """Return the ``model`` whose unique field ``column`` is ``value``, with its reverse
    one-to-one relation ``related`` read in the same statement; None when there is no such row."""
    connection = connections[DEFAULT_DB_ALIAS]
    read = _read(model, column, related, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(read.sql, [value])
        fetched = cursor.fetchone()
    if fetched is None:
        return None
    row = list(fetched)
    for index, field, converters in read.converters:
        for converter in converters:
            row[index] = converter(row[index], field, connection)
    own = len(read.own)
    instance = model.from_db(DEFAULT_DB_ALIAS, read.own, row[:own])
    other = None
    if row[own] is not None:  # the related row's key
        related_model: type[Model] = read.relation.related_model
        other = related_model.from_db(DEFAULT_DB_ALIAS, read.theirs, row[own:])
        read.relation.field.set_cached_value(other, instance)
    read.relation.set_cached_value(instance, other)
    return instance


@lru_cache(maxsize=16)
def _read(model: type[Model], column: str, related: str, vendor: str) -> _Read:
    """Return the statement of a read, the attribute names of its columns and their converters."""
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    relation = model._meta.get_field(related)
    key = model._meta.get_field(column)
    if not isinstance(relation, OneToOneRel):
        raise TypeError(f"{model.__name__}.{related} is not the reverse of a one-to-one field")
    if not isinstance(key, Field) or not key.unique:
        raise TypeError(f"{model.__name__}.{column} is not a unique field")
    other: type[Model] = relation.related_model
    own: Sequence[Field[Any, Any]] = list(model._meta.concrete_fields)
    theirs: Sequence[Field[Any, Any]] = [
        other._meta.pk,
        *(f for f in other._meta.concrete_fields if not f.primary_key),
    ]

    def name(field: Field[Any, Any]) -> str:  # names come from the models, never from input
        return str(quote(str(field.column)))

    columns = [f"a.{name(f)}" for f in own] + [f"b.{name(f)}" for f in theirs]
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(model._meta.db_table)} a"  # noqa: S608
        f" LEFT JOIN {quote(other._meta.db_table)} b"
        f" ON b.{name(relation.field)} = a.{name(relation.field.target_field)}"
        f" WHERE a.{name(key)} = %s"
    )
    converters = []
    for index, (field, table) in enumerate(
        [(f, model._meta.db_table) for f in own] + [(f, other._meta.db_table) for f in theirs]
    ):
        found = connection.ops.get_db_converters(field.get_col(table))
        found += field.get_db_converters(connection)
        if found:
            converters.append((index, field, found))
    return _Read(sql, relation, [f.attname for f in own], [f.attname for f in theirs], converters)
