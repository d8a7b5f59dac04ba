"""Case numbers: the year and a running number, e.g. 2026-000123, never reused.

On PostgreSQL the running number comes from a sequence, which hands out numbers without holding
a lock until commit, so simultaneous submissions do not queue behind one another. On SQLite, where
writes are serialised anyway, a counter row does the same job. Numbers run on across years.
"""

from django.db import connection, transaction
from django.utils import timezone

from xinsheng.cases.models import CaseCounter

SEQUENCE = "cases_case_no_seq"


def case_no_next() -> str:
    """Return the next case number."""
    year = timezone.localdate().year
    return f"{year}-{_next_number():06d}"


def _next_number() -> int:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT nextval('{SEQUENCE}')")
            return int(cursor.fetchone()[0])
    table, last, year = map(connection.ops.quote_name, (CaseCounter._meta.db_table, "last", "year"))
    with transaction.atomic(), connection.cursor() as cursor:
        # One statement in the common case: the counter row exists from the first case on.
        cursor.execute(
            f"UPDATE {table} SET {last} = {last} + 1 WHERE {year} = 0 RETURNING {last}"  # noqa: S608 - our names
        )
        if row := cursor.fetchone():
            return int(row[0])
        CaseCounter.objects.create(year=0, last=1)
        return 1


def case_numbers_reserve(count: int) -> range:
    """Return ``count`` running numbers in a row, taken at once (for a bulk load of cases)."""
    if count <= 0:
        return range(0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT setval('{SEQUENCE}', nextval('{SEQUENCE}') + %s - 1)", [count])
            last = int(cursor.fetchone()[0])
        return range(last - count + 1, last + 1)
    table, last_, year = map(
        connection.ops.quote_name, (CaseCounter._meta.db_table, "last", "year")
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {last_} = {last_} + %s WHERE {year} = 0 RETURNING {last_}",  # noqa: S608 - our names
            [count],
        )
        row = cursor.fetchone()
        if row is None:
            CaseCounter.objects.create(year=0, last=count)
        last = int(row[0]) if row else count
    return range(last - count + 1, last + 1)
