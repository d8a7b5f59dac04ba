"""The plug-in registry: what each installed app adds to the platform, found by module name.

An app plugs in by having a module ``plugins.py`` whose upper-case names are hooks, for example::

    # xinsheng/talks/plugins.py
    NAV = (NavEntry("talks:cycles", _("谈心谈话"), "talk.view", order=60),)
    DEMO = (DemoPart("talks", demo.demo_load, order=60),)
    DASHBOARD_PANELS = (Panel("talks/_dashboard_panel.html", panels.talks_panel, order=60),)

The apps that read a hook ask ``contributions("NAV")`` and get every installed app's entries in
the order of ``INSTALLED_APPS`` (then sorted by ``order`` where the entries have one). Nobody
imports another app to learn what it adds: adding an app to ``INSTALLED_APPS`` is the whole
registration, and removing it removes its pages, figures, demo part and imports.

The hooks, who reads them and what they hold (each an iterable of the types below):

========================  ===================  ===================================================
hook                      read by              entries
========================  ===================  ===================================================
``ACTIONS``               ``org.permissions``  a mapping: action name → roles that grant it
``NAV``                   the staff menu       :class:`NavEntry`
``DEMO``                  ``xinsheng demo``    :class:`DemoPart`
``PERIODIC``              ``xinsheng scheduler``  django-tasks ``Task`` objects to enqueue
``API_URLS``              ``api.urls``         URL patterns under ``/api/v1/``
``URLS``                  the root URLconf     :class:`UrlMount`
``DASHBOARD_PANELS``      ``reports``          :class:`Panel`
``BRIEFING_SECTIONS``     ``reports``          :class:`BriefingSection`
``FIGURES``               ``xinsheng rates``   :class:`FigureSource`
``RECEIPT_SECTIONS``      ``cases``            :class:`ReceiptSection`
``RECEIPT_LOOKUPS``       ``cases``            :class:`ReceiptLookup`: receipt codes another app
                                               hands out (a proposal's), followed on the same
                                               page and API when no voice has the code
``INTAKE_TABS``           ``cases``            :class:`IntakeTab`: other forms of a unit's QR
                                               page, shown as tabs beside the voice form
``CASE_ACTIONS``          ``cases``            :class:`CaseAction`: what another app does with
                                               a case (turn a 建议 into a proposal), a button
                                               on the case page for those who may
``SHEET_IMPORTS``         the spreadsheet kit  ``core.sheets`` import kinds
``ON_CASE_EVENTS``        ``cases``            callables run whenever case events are written
``ACCOUNT_CHECKS``        ``api``              callables ``(user) -> bool``; False shuts a user out
``ON_SIGN_OUT``           ``core`` (the        callables ``(actor=…)``: end what an app ties to
                          logout page)         the user's sign-in (the API token), in the
                                               transaction of the sign-out, before the session
                                               ends
``UNIT_SUGGESTIONS``      ``cases``            callables ``(actor=…, case=…) -> OrgUnit | None``:
                                               where to dispatch a case; the dispatch form
                                               starts with the first answer
``CATCH_UP``              the commands that    callables ``() -> str``: bring what is derived
                          write (``core.       from the data (the figures) up to date at once,
                          catch_up``)          returning a line for the operator or ""; run
                                               after the command's writes commit, so that it
                                               reports success only when every page agrees,
                                               whether or not a worker is running
``TODO``                  the staff home       callables ``(actor=…) -> Iterable[TodoItem]``:
                                               the work waiting for the user, counted (one
                                               query per kind at most: the home asks every
                                               app on every visit)
``PUBLIC_PATHS``          ``core.public_       :class:`PublicPath`: the public forms and writes
                          requests`` (the      that many people send at once; they pass only
                          WSGI application)    the middleware they use (``PUBLIC_MIDDLEWARE``:
                                               no session, sign-in or messages)
``WARM``                  ``core.warm``        callables ``()`` loading, in a web server before
                                               its workers fork, what a first request of the
                                               loop's pages would wait for; never a library
                                               only some pages use (text tools, office
                                               formats): every worker would carry it
========================  ===================  ===================================================
"""

import enum
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule

PLUGIN_MODULE = "plugins"

_cache: dict[tuple[tuple[str, ...], str], list[Any]] = {}
_merged_cache: dict[tuple[tuple[str, ...], str], dict[str, Any]] = {}


def plugin_modules() -> list[Any]:
    """Return the ``plugins`` module of every installed app that has one, in install order."""
    modules = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, PLUGIN_MODULE):
            modules.append(importlib.import_module(f"{config.name}.{PLUGIN_MODULE}"))
    return modules


def contributions(hook: str) -> list[Any]:
    """Return what every installed app contributes to ``hook``, in order.

    Entries with an ``order`` attribute are sorted by it (stable, so equal orders keep the order
    of ``INSTALLED_APPS``). The answer is kept per set of installed apps, so a test that installs
    another app sees its contributions at once.
    """
    key = (tuple(config.name for config in apps.get_app_configs()), hook)
    cached = _cache.get(key)
    if cached is None:
        found: list[Any] = []
        for module in plugin_modules():
            found.extend(getattr(module, hook, ()))
        cached = sorted(found, key=lambda entry: getattr(entry, "order", 0))
        _cache[key] = cached
    return cached


def merged(hook: str) -> dict[str, Any]:
    """Return the mappings every app contributes to ``hook`` as one; a name defined twice fails."""
    key = (tuple(config.name for config in apps.get_app_configs()), f"{hook}:merged")
    cached = _merged_cache.get(key)
    if cached is None:
        cached = {}
        for module in plugin_modules():
            for name, value in dict(getattr(module, hook, {})).items():
                if name in cached:
                    raise ValueError(f"{hook}: {name!r} is defined by two apps")
                cached[name] = value
        _merged_cache[key] = cached
    return cached


def call_all(hook: str, **kwargs: Any) -> None:
    """Call every callable contributed to ``hook`` with ``kwargs``."""
    for function in contributions(hook):
        function(**kwargs)


# --- what the hooks hold -------------------------------------------------------------------------


@dataclass(frozen=True)
class NavEntry:
    """An entry of the staff menu, shown to those who may do ``action`` somewhere."""

    url_name: str
    label: str | Promise
    action: str
    order: int = 100


@dataclass(frozen=True)
class DemoPart:
    """An app's part of the demo enterprise.

    ``load(seed=…)`` builds it (skipping what exists) and returns the numbers it created, or an
    empty mapping; ``report(summary=…, seed=…)`` returns lines for the operator's console
    (``summary`` is what every part made, by app, or None when the demo was loaded already).
    Parts run in ``order``, in one transaction.
    """

    app: str
    load: Callable[..., dict[str, Any]]
    order: int = 100
    report: Callable[..., str] | None = None
    anchor: Callable[[], Model] | None = None  # what the load's audit event is recorded against


@dataclass(frozen=True)
class UrlMount:
    """An app's pages mounted under a prefix of the site (``""`` for the root)."""

    prefix: str
    urlconf: str
    order: int = 100


@dataclass(frozen=True)
class PublicPath:
    """Addresses of public pages or writes (a regular expression the whole path must match)
    whose views use no session, signed-in user or messages."""

    pattern: str


@dataclass(frozen=True)
class Panel:
    """A section of the dashboard: a template and the function that fills it.

    ``context(actor=…, unit=…, period=…, shared=…)`` returns the template's context, or None to
    show nothing; ``shared`` is the request's ``org.shared_reads.SharedReads`` (the subtree's
    headcount and whatever else several panels read alike, read once per request).
    """

    template: str
    context: Callable[..., dict[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class BriefingSection:
    """A paragraph of the work briefing and the figures it was written from.

    ``build(unit=…, period=…)`` returns ``(paragraph or "", figures)``; the figures are stored
    with the briefing under ``key`` so that every number in the text can be traced.
    """

    key: str
    build: Callable[..., tuple[str, dict[str, Any]]]
    order: int = 100


@dataclass(frozen=True)
class ReceiptSection:
    """What the employee's follow-up page (and the receipt API) shows of another app's work.

    ``data(case=…)`` returns what to show (empty to show nothing); the page includes ``template``
    with it as ``section.data``, and the receipt API answers it under ``key``, described by the
    serializer field ``field()`` returns.
    """

    key: str
    template: str
    data: Callable[..., Any]
    field: Callable[[], Any]
    order: int = 100


@dataclass(frozen=True)
class IntakeTab:
    """Another form on a unit's QR page (``/v/<unit_code>/``), shown as a tab beside the voice
    form: ``url_name`` takes the unit's code; the QR token travels along as ``?k=``."""

    label: str | Promise
    url_name: str
    order: int = 100


@dataclass(frozen=True)
class CaseAction:
    """A button of the staff case page (``/cases/<case_no>/``) leading to another app's work.

    Shown when the user may do ``action`` at the case's origin unit and ``applies(case)`` is
    true; ``url(case)`` is where the button leads. The permission is asked first (it costs no
    query), so ``applies`` may ask the database once for what only its app knows.
    """

    label: str | Promise
    url: Callable[[Any], str]
    action: str
    applies: Callable[[Any], bool]
    order: int = 100


@dataclass(frozen=True)
class ReceiptLookup:
    """Receipt codes another app hands out, followed on the voices' page (``/r/``) and API.

    When no voice has a code, ``page(request=…, code=…)`` returns the follow-up page of what
    has it (or None), and ``answer(code=…)`` the receipt API's body (or None), described by the
    serializer ``serializer()`` returns. Both use ``cases.intake.receipts`` to hash the code.
    """

    key: str
    page: Callable[..., Any]
    answer: Callable[..., dict[str, Any] | None]
    serializer: Callable[[], Any]
    order: int = 100


@dataclass(frozen=True)
class FigureSource:
    """Figures another app counts for a unit subtree and a period, beside the case figures.

    ``build(unit=…, period=…)`` returns a JSON-safe mapping; ``xinsheng rates --json`` prints it
    under ``key`` for the current and the previous period.
    """

    key: str
    build: Callable[..., dict[str, Any]]
    order: int = 100


class TodoUrgency(enum.IntEnum):
    """How soon a kind of work must be done; the staff home lists the most urgent first."""

    INFO = 0  # to know about (unread notifications)
    WAITING = 1  # waiting for the user, no deadline passed yet
    DUE = 2  # due today or tomorrow, or waiting longer than it should
    OVERDUE = 3  # past its deadline


@dataclass(frozen=True)
class TodoItem:
    """A kind of work waiting for a user: how many, and the link to exactly those.

    Items with a count of 0 are not shown. ``order`` sorts items of the same urgency.
    """

    label: str | Promise
    count: int
    url: str
    urgency: TodoUrgency = TodoUrgency.WAITING
    area: str | Promise = ""  # the part of the work it belongs to: 受理派单, 承办事项 …
    detail: str | Promise = ""  # e.g. 其中 2 件已过签收时限
    order: int = 100

    @property
    def urgency_name(self) -> str:
        """Return the urgency as a word for the page's classes (overdue, due, waiting, info)."""
        return self.urgency.name.lower()
