"""Keyset (cursor) pages of the talk records' ledger, newest talk first.

A page link carries the (date, id) of the row it continues from instead of an OFFSET, so that the
database seeks to it through the ``(-held_on, -id)`` index and records written between two
clicks neither repeat nor hide a row. The key is signed: a link cannot be edited into another.
"""

import datetime as dt
from dataclasses import dataclass

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from xinsheng.core.errors import InvalidInput
from xinsheng.talks.models import TalkRecord

SALT = "xinsheng.talks.records.cursor"
ORDER = ("-held_on", "-id")
REVERSE = ("held_on", "id")

Key = tuple[dt.date, int]


@dataclass(frozen=True)
class Page:
    """One page of records, with the signed cursors of the pages around it (None at either end)."""

    rows: list[TalkRecord]
    next_cursor: str | None
    previous_cursor: str | None


def cursor_dump(key: Key, *, forward: bool) -> str:
    """Return a signed cursor: the rows after ``key`` (forward) or before it."""
    return signing.dumps({"k": [key[0].isoformat(), key[1]], "f": forward}, salt=SALT)


def cursor_load(token: str) -> tuple[Key, bool]:
    """Return the key and direction of a cursor; ``InvalidInput`` when forged or stale."""
    try:
        payload = signing.loads(token, salt=SALT)
        day, pk = payload["k"]
        return (dt.date.fromisoformat(day), int(pk)), bool(payload["f"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(_("翻页链接无效，已显示第一页。"), code="bad_cursor") from exc


def after(key: Key) -> Q:
    """Return the filter keeping the rows that come after ``key`` (older, or same day lower id).

    The plain bound on the date repeats what the rest says, so that the database starts the
    index scan at the key instead of filtering every row before it.
    """
    day, pk = key
    return Q(held_on__lte=day) & (Q(held_on__lt=day) | Q(held_on=day, id__lt=pk))


def before(key: Key) -> Q:
    """Return the filter keeping the rows that come before ``key``."""
    day, pk = key
    return Q(held_on__gte=day) & (Q(held_on__gt=day) | Q(held_on=day, id__gt=pk))


def key_of(record: TalkRecord) -> Key:
    """Return the sort key of ``record``."""
    return (record.held_on, record.pk)


def page_of(records: QuerySet[TalkRecord], *, cursor: str, size: int) -> Page:
    """Return the page of ``records`` that ``cursor`` points at (the first page when empty)."""
    if not cursor:
        return _forward(records, None, size)
    key, forward = cursor_load(cursor)
    if forward:
        return _forward(records, key, size)
    rows = list(records.filter(before(key)).order_by(*REVERSE)[: size + 1])
    if len(rows) <= size:  # back at the start: show the first page, full
        return _forward(records, None, size)
    rows = rows[:size][::-1]
    return Page(
        rows,
        cursor_dump(key_of(rows[-1]), forward=True),
        cursor_dump(key_of(rows[0]), forward=False),
    )


def _forward(records: QuerySet[TalkRecord], key: Key | None, size: int) -> Page:
    query = records.filter(after(key)) if key is not None else records
    rows = list(query.order_by(*ORDER)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    following = cursor_dump(key_of(rows[-1]), forward=True) if more and rows else None
    if key is None:
        return Page(rows, following, None)
    preceding = cursor_dump(key_of(rows[0]) if rows else key, forward=False)
    return Page(rows, following, preceding)
