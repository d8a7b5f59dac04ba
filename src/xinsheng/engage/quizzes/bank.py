"""The bank a round draws from: the active questions of the campaign's unit and its ancestors
(a group's bank is shared down the tree), held per process and refreshed when it changes.

Starting an attempt must be cheap (hundreds a second at the peak of a round): the bank is read
once, and afterwards one aggregate query tells whether it changed.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

from django.db.models import Count, Max

from xinsheng.engage.quizzes.models import Question
from xinsheng.engage.quizzes.scoring import BankEntry, DrawRule, Pools, pools_of
from xinsheng.org.models import OrgUnit


@dataclass(frozen=True)
class Bank:
    """The questions a unit's rounds draw from, and what an employee is shown of each."""

    entries: tuple[BankEntry, ...]
    shown: dict[int, dict[str, Any]]  # id → text, kind, options (never the answer)
    _pools: dict[tuple[DrawRule, ...], Pools] = field(default_factory=dict, compare=False)

    def pools(self, rules: Sequence[DrawRule]) -> Pools:
        """Return the pools ``rules`` draw from in this bank, worked out once per rule set."""
        key = tuple(rules)
        found = self._pools.get(key)
        if found is None:
            found = self._pools[key] = pools_of(rules, self.entries)
        return found


_banks: dict[tuple[tuple[str, ...], tuple[Any, ...]], Bank] = {}
_lock = Lock()
KEEP = 32  # banks kept per process


def bank_paths(unit: OrgUnit) -> tuple[str, ...]:
    """Return the paths whose questions ``unit``'s rounds draw from: itself and its ancestors."""
    step = unit.steplen
    return tuple(unit.path[: step * depth] for depth in range(1, len(unit.path) // step + 1))


def bank_questions(unit: OrgUnit) -> Any:
    """Return the queryset of the active questions ``unit``'s rounds draw from."""
    return Question.objects.filter(unit__path__in=bank_paths(unit), is_active=True)


def bank_of(unit: OrgUnit) -> Bank:
    """Return the bank of ``unit``, read again only when a question changed."""
    version = bank_questions(unit).aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    return bank_at(unit, (version["n"], version["last"], version["top"]))


def bank_at(unit: OrgUnit, version: tuple[object, ...]) -> Bank:
    """Return the bank of ``unit`` whose questions' count, last change and highest id the
    caller has just read (``version``); read again only when that changed."""
    paths = bank_paths(unit)
    key = (paths, tuple(version))
    found = _banks.get(key)
    if found is not None:
        return found
    rows = bank_questions(unit).values_list("id", "tags", "difficulty", "text", "kind", "options")
    entries = []
    shown = {}
    for pk, tags, difficulty, text, kind, options in rows:
        entries.append(BankEntry(pk, tuple(tags or ()), difficulty))
        shown[pk] = {"id": pk, "text": text, "kind": kind, "options": list(options)}
    bank = Bank(tuple(entries), shown)
    with _lock:
        if len(_banks) >= KEEP:
            _banks.clear()
        _banks[key] = bank
    return bank


def shown_questions(
    ids: list[int], unit: OrgUnit, *, bank: Bank | None = None
) -> list[dict[str, Any]]:
    """Return what an employee is shown of the questions ``ids``, in that order.

    ``bank`` is ``unit``'s bank when the caller has just read it (its check is not run twice).
    """
    bank = bank or bank_of(unit)
    missing = [pk for pk in ids if pk not in bank.shown]
    extra: dict[int, dict[str, Any]] = {}
    if missing:  # a question retired since it was drawn is still shown to who drew it
        for pk, text, kind, options in Question.objects.filter(pk__in=missing).values_list(
            "id", "text", "kind", "options"
        ):
            extra[pk] = {"id": pk, "text": text, "kind": kind, "options": list(options)}
    return [bank.shown.get(pk) or extra[pk] for pk in ids if pk in bank.shown or pk in extra]
