"""Staff pages of the organisation. Load through selectors, change through services.

Units are addressed by their public code and people by employee number, never by database id.
A unit or person outside the user's scope is "not found" (the selectors raise ``NotFound``); an
action the user may not do at a unit they can see is "forbidden" (``permissions.require``).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import Conflict, InvalidInput, NotFound
from xinsheng.org import permissions, selectors, services, todo, unit_selectors
from xinsheng.org.attributes import PRINCIPAL, labels_of, principal_label
from xinsheng.org.choices import CadreRank, PersonGroup
from xinsheng.org.forms import (
    CHARGE_SEARCH,
    PersonCreateForm,
    PersonUpdateForm,
    RoleAssignForm,
    ServiceForm,
    UnitCreateForm,
    UnitUpdateForm,
)
from xinsheng.org.models import OrgUnit, Person

SEARCH_LIMIT = 50  # units shown for a search; more means the words are too vague
CHILD_LIMIT = 300  # sub-units listed under one unit; a bigger fan-out is found by search
PEOPLE_PER_PAGE = 30
OPTION_LIMIT = 20  # suggestions in a unit picker
QUERY_MAX = 100

T = TypeVar("T")


@dataclass(frozen=True)
class UnitRow:
    """A unit as a row of the tree or a list: with its head count and, for search, its path."""

    unit: OrgUnit
    headcount: int = 0
    ancestors: Sequence[OrgUnit] = ()
    children: Sequence["UnitRow"] | None = None  # loaded already, so shown open


@dataclass(frozen=True)
class PersonRow:
    """A person as a row of a list, with the phone number as this user may see it."""

    person: Person
    phone: str

    @property
    def standing(self) -> list[str]:
        """Return the person's rank and groups in words (党员 · 科级 · 主要负责人 …)."""
        return labels_of(self.person)


@dataclass(frozen=True)
class PeopleFilters:
    """What the people list is narrowed to, as the query string says it."""

    search: str = ""
    group: str = ""
    rank: str = ""

    @classmethod
    def of(cls, request: HttpRequest) -> "PeopleFilters":
        group, rank = _query(request, "group"), _query(request, "rank")
        return cls(
            search=_query(request),
            group=group if group in {PRINCIPAL, *PersonGroup.values} else "",
            rank=rank if rank in {selectors.CADRE, *CadreRank.values} else "",
        )


def _group_options() -> list[tuple[str, str]]:
    """Return the choices of the people list's group filter: the groups and the principals."""
    return [
        *((str(v), str(label)) for v, label in PersonGroup.choices),
        (PRINCIPAL, principal_label()),
    ]


def _rank_options() -> list[tuple[str, str]]:
    """Return the choices of the people list's rank filter: every cadre, then each rank."""
    return [
        (selectors.CADRE, _("全部干部")),
        *((str(v), str(label)) for v, label in CadreRank.choices),
    ]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Show the staff home: what waits for the user, most urgent first, then their units."""
    context = {
        "todo": todo.todo_items_for(actor=request.user),
        "roots": selectors.unit_roots_for(actor=request.user),
    }
    return render(request, "org/home.html", context)


def _query(request: HttpRequest, name: str = "q") -> str:
    """Return the search text ``name`` of the query string, trimmed and bounded."""
    return request.GET.get(name, "").strip()[:QUERY_MAX]


def _is_fragment(request: HttpRequest, target: str) -> bool:
    """Return whether htmx asked for the part of the page with id ``target`` only."""
    return request.headers.get("HX-Target") == target


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *, fragments: dict[str, str]
) -> HttpResponse:
    """Render the page, or the fragment template of the element htmx asked for."""
    chosen = next((t for target, t in fragments.items() if _is_fragment(request, target)), template)
    response = render(request, chosen, context)
    patch_vary_headers(response, ["HX-Target"])
    return response


def _unit_rows(units: Sequence[OrgUnit]) -> list[UnitRow]:
    counts = selectors.unit_headcounts(units=units)
    return [UnitRow(unit, counts[unit.pk]) for unit in units]


def _children_rows(request: HttpRequest, unit: OrgUnit) -> tuple[list[UnitRow], bool]:
    """Return the rows of ``unit``'s sub-units, at most ``CHILD_LIMIT``, and whether cut short."""
    children = list(selectors.unit_children_for(actor=request.user, unit=unit)[: CHILD_LIMIT + 1])
    return _unit_rows(children[:CHILD_LIMIT]), len(children) > CHILD_LIMIT


def _people_page(
    request: HttpRequest, unit: OrgUnit | None, filters: PeopleFilters
) -> dict[str, Any]:
    """Return the requested page of people, each row with the phone this user may see."""
    people = selectors.person_list_for(
        actor=request.user,
        search=filters.search,
        unit=unit,
        group=filters.group,
        rank=filters.rank,
    )
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        PersonRow(person, selectors.person_phone_for(actor=request.user, person=person))
        for person in page.object_list
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return {"page": page, "people": rows, "page_query": params.urlencode()}


def _allowed(request: HttpRequest, unit: OrgUnit, *actions: str) -> dict[str, bool]:
    """Return, for the template, which of ``actions`` the user may do at ``unit``."""
    return {
        action.replace(".", "_"): permissions.may(request.user, action, unit) for action in actions
    }


# --- Tree and search --------------------------------------------------------------------------


@staff_view
@require_GET
def tree(request: HttpRequest) -> HttpResponse:
    """Show the tree from the top of the user's scope, or the units matching a search."""
    search = _query(request)
    context: dict[str, Any] = {"q": search}
    if search:
        found = selectors.unit_search_for(actor=request.user, search=search, limit=SEARCH_LIMIT + 1)
        shown = found[:SEARCH_LIMIT]
        ancestors = selectors.unit_ancestors_map_for(actor=request.user, units=shown)
        context["results"] = [UnitRow(u, 0, ancestors[u.pk]) for u in shown]
        context["more"] = len(found) > SEARCH_LIMIT
        context["limit"] = SEARCH_LIMIT
    else:
        rows = _unit_rows(list(selectors.unit_roots_for(actor=request.user)))
        if len(rows) == 1:  # one top unit: open it, so that the first click is not wasted
            children, more = _children_rows(request, rows[0].unit)
            rows = [replace(rows[0], children=children)]
            context["more"] = more
        context["rows"] = rows
    return _render(
        request, "org/tree.html", context, fragments={"tree-body": "org/_tree_body.html"}
    )


@staff_view
@require_GET
def unit_children(request: HttpRequest, code: str) -> HttpResponse:
    """Return the rows of a unit's sub-units: the tree loads them when a unit is opened."""
    unit = selectors.unit_get_for(actor=request.user, code=code)
    rows, more = _children_rows(request, unit)
    return render(request, "org/_unit_rows.html", {"rows": rows, "more": more, "parent": unit})


@staff_view
@require_GET
def unit_options(request: HttpRequest) -> HttpResponse:
    """Return ``<option>`` suggestions of units for a picker, by name or code as typed."""
    search = _query(request, "unit")
    shown = (
        selectors.unit_search_for(actor=request.user, search=search, limit=OPTION_LIMIT)
        if search
        else []
    )
    ancestors = selectors.unit_ancestors_map_for(actor=request.user, units=shown)
    rows = [UnitRow(unit, 0, ancestors[unit.pk]) for unit in shown]
    return render(request, "org/_unit_options.html", {"rows": rows})


@staff_view
@require_GET
def charge_options(request: HttpRequest) -> HttpResponse:
    """Return units to tick as units in charge: those the user manages, by name or code."""
    search = _query(request, CHARGE_SEARCH)
    shown = (
        selectors.unit_choice_search_for(
            actor=request.user, search=search, action="person.manage", limit=OPTION_LIMIT
        )
        if search
        else []
    )
    ancestors = selectors.unit_ancestors_map_for(actor=request.user, units=shown)
    rows = [UnitRow(unit, 0, ancestors[unit.pk][-1:]) for unit in shown]
    return render(request, "org/_charge_options.html", {"rows": rows, "searched": bool(search)})


def unit_picker_options(request: HttpRequest) -> HttpResponse:
    """Return the units a unit picker finds for what was typed: name, code or path, each with
    its path, active units only (see ``org.unit_picker``)."""
    search = _query(request, "unit")
    found = unit_selectors.unit_find_for(actor=request.user, text=search, limit=OPTION_LIMIT + 1)
    context = {"rows": found[:OPTION_LIMIT], "more": len(found) > OPTION_LIMIT, "q": search}
    return render(request, "org/_unit_picker_options.html", context)


@staff_view
@require_GET
def scope_summary(request: HttpRequest) -> HttpResponse:
    """Return the top units of the user's scope with their sub-unit and people counts."""
    roots = list(selectors.unit_roots_for(actor=request.user))
    headcounts = selectors.unit_headcounts(units=roots)
    unit_counts = selectors.unit_descendant_counts(units=roots)
    rows = [
        {"unit": unit, "headcount": headcounts[unit.pk], "unit_count": unit_counts[unit.pk]}
        for unit in roots
    ]
    return render(request, "org/_scope_summary.html", {"rows": rows})


# --- Unit page --------------------------------------------------------------------------------


@staff_view
@require_GET
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Show a unit: its place in the tree, sub-units, role holders and people."""
    actor = request.user
    unit = selectors.unit_get_for(actor=actor, code=code)
    search = _query(request)
    holders = list(selectors.role_holders_for(actor=actor, unit=unit))
    children, more = _children_rows(request, unit)
    context = {
        "unit": unit,
        "ancestors": selectors.unit_ancestors_for(actor=actor, unit=unit),
        "children": children,
        "more_children": more,
        "children_chart": [{"name": row.unit.name, "value": row.headcount} for row in children],
        "headcount": selectors.unit_subtree_headcount(unit=unit),
        "holders": holders,
        "linkable": selectors.person_numbers_visible_to(
            actor=actor, employee_nos=[holder.person.employee_no for holder in holders]
        ),
        "q": search,
        **_people_page(request, unit, PeopleFilters(search=search)),
        "may": _allowed(request, unit, "unit.manage", "person.manage", "role.manage"),
    }
    return _render(
        request, "org/unit_detail.html", context, fragments={"people": "org/_people.html"}
    )


# --- People -----------------------------------------------------------------------------------


@staff_view
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    """List the people in the user's scope: search by name or employee number, filter by unit,
    by group (党员, 班组长 …, or the principals) and by cadre rank."""
    filters = PeopleFilters.of(request)
    unit_code = _query(request, "unit")
    context: dict[str, Any] = {
        "q": filters.search,
        "unit_code": unit_code,
        "group": filters.group,
        "rank": filters.rank,
        "group_options": _group_options(),
        "rank_options": _rank_options(),
    }
    try:
        unit = selectors.unit_get_for(actor=request.user, code=unit_code) if unit_code else None
    except NotFound:  # a mistyped filter is a message on the list, not an error page
        context["unit_missing"] = True
    else:
        context.update(filter_unit=unit, **_people_page(request, unit, filters))
    return _render(request, "org/people.html", context, fragments={"people": "org/_people.html"})


@staff_view
@require_GET
def person_detail(request: HttpRequest, employee_no: str) -> HttpResponse:
    """Show a person: unit, position, phone as this user may see it, standing, units in charge
    and roles."""
    actor = request.user
    person = selectors.person_get_for(actor=actor, employee_no=employee_no)
    context = {
        "person": person,
        "phone": selectors.person_phone_for(actor=actor, person=person),
        "standing": labels_of(person),
        "units_in_charge": selectors.person_units_in_charge_for(actor=actor, person=person),
        "ancestors": selectors.unit_ancestors_for(actor=actor, unit=person.unit),
        "roles": selectors.role_list_of(actor=actor, person=person).order_by("unit__path", "role"),
        "may": _allowed(request, person.unit, "person.manage"),
    }
    return render(request, "org/person_detail.html", context)


# --- Administration -----------------------------------------------------------------------------


def _data(request: HttpRequest) -> Any:
    """Return the posted data to bind a form to, or None to show it empty."""
    return request.POST if request.method == "POST" else None


def _call(form: ServiceForm, write: Callable[[], T]) -> T | None:
    """Return what ``write`` (a service call) returns; on bad input, put its errors on ``form``."""
    try:
        return write()
    except InvalidInput as error:
        form.add_service_error(error)
    except Conflict as error:
        form.add_error(None, str(error.message))
    return None


def _form_page(
    request: HttpRequest, form: ServiceForm, *, title: str, unit: OrgUnit, **extra: Any
) -> HttpResponse:
    """Render an administration form; answer 400 when it shows refused input."""
    trail = [*selectors.unit_ancestors_for(actor=request.user, unit=unit), unit]
    context = {"form": form, "title": title, "unit": unit, "trail": trail, **extra}
    return render(request, "org/form.html", context, status=400 if form.errors else 200)


@staff_view
@require_http_methods(["GET", "POST"])
def unit_add(request: HttpRequest, code: str) -> HttpResponse:
    """Add a sub-unit under the unit ``code``."""
    parent = selectors.unit_get_for(actor=request.user, code=code)
    permissions.require(request.user, "unit.manage", parent)
    form = UnitCreateForm(_data(request))
    if form.is_valid():
        data = form.cleaned_data
        unit = _call(form, partial(services.unit_create, actor=request.user, parent=parent, **data))
        if unit is not None:
            messages.success(request, _("已添加下级单位“%(name)s”。") % {"name": unit.name})
            return redirect("org:unit", unit.code)
    return _form_page(request, form, title=_("添加下级单位"), unit=parent)


@staff_view
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Edit a unit's name, kind and active flag; its code never changes."""
    unit = selectors.unit_get_for(actor=request.user, code=code)
    permissions.require(request.user, "unit.manage", unit)
    form = UnitUpdateForm.for_unit(unit, _data(request))
    if form.is_valid():
        data = form.cleaned_data
        if _call(form, partial(services.unit_update, actor=request.user, unit=unit, **data)):
            messages.success(request, _("单位信息已保存。"))
            return redirect("org:unit", unit.code)
    return _form_page(request, form, title=_("编辑单位"), unit=unit)


@staff_view
@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest, code: str) -> HttpResponse:
    """Add a person to the unit ``code``."""
    unit = selectors.unit_get_for(actor=request.user, code=code)
    permissions.require(request.user, "person.manage", unit)
    form = PersonCreateForm(_data(request), actor=request.user)
    if form.is_valid():
        data = form.cleaned_data
        person = _call(form, partial(services.person_create, actor=request.user, unit=unit, **data))
        if person is not None:
            messages.success(request, _("已添加人员“%(name)s”。") % {"name": person.name})
            return redirect("org:person", person.employee_no)
    return _form_page(request, form, title=_("添加人员"), unit=unit)


@staff_view
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, employee_no: str) -> HttpResponse:
    """Edit a person's details, or move them to another unit the user manages."""
    person = selectors.person_get_for(actor=request.user, employee_no=employee_no)
    permissions.require(request.user, "person.manage", person.unit)
    held = selectors.person_units_in_charge_for(actor=request.user, person=person)
    form = PersonUpdateForm.for_person(
        person, actor=request.user, units_in_charge=held, data=_data(request)
    )
    if form.is_valid():
        data = form.cleaned_data
        if _call(form, partial(services.person_update, actor=request.user, person=person, **data)):
            messages.success(request, _("人员信息已保存。"))
            return redirect("org:person", person.employee_no)
    return _form_page(
        request, form, title=_("编辑人员"), unit=person.unit, person=person, unit_picker=True
    )


@staff_view
@require_http_methods(["GET", "POST"])
def role_assign(request: HttpRequest, code: str) -> HttpResponse:
    """Give someone a role at the unit ``code``; it covers the unit's whole subtree."""
    unit = selectors.unit_get_for(actor=request.user, code=code)
    permissions.require(request.user, "role.manage", unit)
    form = RoleAssignForm(_data(request), actor=request.user)
    if form.is_valid():
        assign = partial(
            services.role_assign,
            actor=request.user,
            person=form.cleaned_data["person"],
            unit=unit,
            role=form.cleaned_data["role"],
        )
        if _call(form, assign):
            messages.success(request, _("已任命角色。"))
            return redirect("org:unit", unit.code)
    return _form_page(request, form, title=_("任命角色"), unit=unit)


@staff_view
@require_POST
def role_revoke(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """Take away the role named in the posted form (employee number and role) at ``code``."""
    unit = selectors.unit_get_for(actor=request.user, code=code)
    permissions.require(request.user, "role.manage", unit)
    assignment = selectors.role_assignment_get_for(
        actor=request.user,
        unit=unit,
        employee_no=request.POST.get("employee_no", ""),
        role=request.POST.get("role", ""),
    )
    services.role_revoke(actor=request.user, assignment=assignment)
    messages.success(request, _("已撤销角色。"))
    return redirect("org:unit", unit.code)
