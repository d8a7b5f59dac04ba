"""Staff pages of talk cycles: the list, a new cycle, a cycle's page with its figures and pairs,
the pairs' Excel export, the held and waived actions, and the tier rules.

Load through selectors, change through services. A cycle or pair the user may not see is "not
found" like a missing one; an action they may not take on what they see is "forbidden". A
service's refusal shows as a message on the cycle's page, nothing changed.
"""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinsheng.core.actors import Actor
from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xinsheng.org import permissions
from xinsheng.talks.cycles import export, selectors, services
from xinsheng.talks.cycles.describe import rule_lines
from xinsheng.talks.cycles.forms import CycleForm, HoldForm, PairFilterForm, RuleForm, WaiveForm
from xinsheng.talks.cycles.selectors import PairFilters
from xinsheng.talks.models import TalkCycle, TalkPair

PAGE_SIZE = 50


def _require_view(actor: Actor) -> None:
    if (
        not permissions.may_anywhere(actor, "talk.view")
        and not selectors.cycle_list_for(actor=actor).exists()
    ):
        raise Forbidden()


def _detail_url(cycle: TalkCycle) -> str:
    return reverse("talk_cycles:detail", args=[cycle.pk])


def _first_error(form: HoldForm | WaiveForm) -> str:
    for errors in form.errors.values():
        for error in errors:
            return str(error)
    return _("输入有误，请检查后重试。")


# --- cycles ---------------------------------------------------------------------------------------


@staff_view
@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    """List the cycles the user sees all or part of, with how far each has come."""
    actor = request.user
    _require_view(actor)
    cycles = list(selectors.cycle_list_for(actor=actor)[:200])
    counts = selectors.cycle_list_counts(actor=actor, cycles=cycles)
    context = {
        "rows": [(cycle, counts[cycle.pk]) for cycle in cycles],
        "may_plan": permissions.may_anywhere(actor, "talk.plan"),
    }
    return render(request, "talks/cycles/list.html", context)


@staff_view
@require_http_methods(["GET", "POST"])
def cycle_create(request: HttpRequest) -> HttpResponse:
    """Set up a cycle for a subtree and generate its pairs."""
    actor = request.user
    if not permissions.may_anywhere(actor, "talk.plan"):
        raise Forbidden()
    form = CycleForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.cycle_create(
                actor=actor,
                title=data["title"],
                unit=data["unit"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except InvalidInput as error:
            form.add_service_error(error)
        except Forbidden:
            form.add_error("unit", _("您不能为该单位安排约谈。"))
        else:
            messages.success(request, _("约谈周期已创建，已按层级规则生成约谈对子。"))
            return redirect(_detail_url(cycle))
    status = 400 if form.errors else 200
    return render(request, "talks/cycles/form.html", {"form": form}, status=status)


def _pair_filters(request: HttpRequest) -> tuple[PairFilterForm, PairFilters | None]:
    form = PairFilterForm(request.GET or None, actor=request.user)
    if not request.GET:
        return form, PairFilters()
    return form, form.filters() if form.is_valid() else None


@staff_view
@require_GET
def cycle_detail(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Show a cycle: counts by tier and unit, what the last generation changed, and its pairs."""
    actor = request.user
    cycle = selectors.cycle_get_for(actor=actor, cycle_id=cycle_id)
    form, filters = _pair_filters(request)
    # Wrong filters list nothing (the form says what is wrong) rather than everything.
    pairs: QuerySet[TalkPair] | list[TalkPair] = (
        selectors.pair_list_for(actor=actor, cycle=cycle, filters=filters)
        if filters is not None
        else []
    )
    paginator: Paginator[TalkPair] = Paginator(pairs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    shown = list(page.object_list)
    actions = selectors.pair_actions_for(actor=actor, pairs=shown)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "cycle": cycle,
        "form": form,
        "page": page,
        "rows": [(pair, actions[pair.pk]) for pair in shown],
        "tiers": selectors.cycle_tier_counts(actor=actor, cycle=cycle),
        "units": selectors.cycle_unit_counts(actor=actor, cycle=cycle),
        "last": selectors.cycle_last_generation(actor=actor, cycle=cycle),
        "whole": selectors.cycle_seen_whole(actor=actor, cycle=cycle),
        "may_plan": selectors.cycle_may_plan(actor=actor, cycle=cycle),
        "query": query.urlencode(),
        "here": request.get_full_path(),
        "today": timezone.localdate(),
        "hold_form": HoldForm(),
    }
    return render(request, "talks/cycles/detail.html", context)


@staff_view
@require_POST
def cycle_generate(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Generate the cycle's pairs again and say what changed."""
    cycle = selectors.cycle_get_for(actor=request.user, cycle_id=cycle_id)
    result = services.cycle_generate(actor=request.user, cycle=cycle)
    messages.success(
        request,
        _("已重新生成：新增%(added)d对，撤销%(retired)d对，保留%(kept)d对。")
        % {"added": result.added, "retired": result.retired, "kept": result.kept},
    )
    return redirect(_detail_url(cycle))


@login_required
@require_GET
def cycle_export(request: HttpRequest, cycle_id: int) -> HttpResponseBase:
    """Send the cycle's pairs, as filtered on its page, as an Excel workbook."""
    actor = request.user
    cycle = selectors.cycle_get_for(actor=actor, cycle_id=cycle_id)
    _form, filters = _pair_filters(request)
    if filters is None:
        raise InvalidInput(_("筛选条件有误，请返回修改。"))
    pairs = selectors.pair_list_for(actor=actor, cycle=cycle, filters=filters)
    scratch = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 — the response closes it
    export.pairs_write(pairs=pairs, target=scratch)
    scratch.seek(0)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = FileResponse(
        scratch,
        as_attachment=True,
        filename=f"{_('约谈对子')}-{cycle.pk}-{stamp}.xlsx",
        content_type=export.XLSX_TYPE,
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- pairs ----------------------------------------------------------------------------------------


def _back(request: HttpRequest, pair: TalkPair) -> HttpResponse:
    """Return to the page the action was taken from (the filtered list), else the cycle's page."""
    target = str(request.POST.get("next", ""))
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(_detail_url(pair.cycle))


@staff_view
@require_POST
def pair_held(request: HttpRequest, pair_id: int) -> HttpResponse:
    """Mark a planned talk held."""
    actor = request.user
    pair = selectors.pair_get_for(actor=actor, pair_id=pair_id)
    form = HoldForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_first_error(form))
        record = None
        if record_id := form.cleaned_data.get("record_id"):
            try:
                record = selectors.record_get_for(actor=actor, record_id=record_id)
            except NotFound:
                raise InvalidInput(_("找不到该谈话记录，或它不在您的范围内。")) from None
        services.pair_hold(
            actor=actor, pair=pair, held_on=form.cleaned_data["held_on"], record=record
        )
    except (InvalidInput, Conflict) as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("已记录：%(host)s与%(person)s已谈。")
            % {"host": pair.host.name, "person": pair.person.name},
        )
    return _back(request, pair)


@staff_view
@require_POST
def pair_waived(request: HttpRequest, pair_id: int) -> HttpResponse:
    """Waive a planned talk, with the reason."""
    actor = request.user
    pair = selectors.pair_get_for(actor=actor, pair_id=pair_id)
    form = WaiveForm(request.POST)
    try:
        services.pair_waive(
            actor=actor, pair=pair, reason=form.cleaned_data["reason"] if form.is_valid() else ""
        )
    except (InvalidInput, Conflict) as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("已记录：%(host)s与%(person)s免谈。")
            % {"host": pair.host.name, "person": pair.person.name},
        )
    return _back(request, pair)


# --- tier rules -----------------------------------------------------------------------------------


@staff_view
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    """Show the tier rules; the administrator edits them from here."""
    actor = request.user
    _require_view(actor)
    context = {
        "rules": [(rule, rule_lines(rule)) for rule in selectors.rule_list_for(actor=actor)],
        "may_edit": selectors.rules_may_edit(actor=actor),
    }
    return render(request, "talks/cycles/rules.html", context)


@staff_view
@require_http_methods(["GET", "POST"])
def rule_create(request: HttpRequest) -> HttpResponse:
    """Add a tier rule."""
    actor = request.user
    if not selectors.rules_may_edit(actor=actor):
        raise Forbidden()
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.tier_rule_create(actor=actor, data=form.rule_data())
        except InvalidInput as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("层级规则已添加，下次生成约谈对子时生效。"))
            return redirect("talk_cycles:rules")
    status = 400 if form.errors else 200
    return render(
        request, "talks/cycles/rule_form.html", {"form": form, "rule": None}, status=status
    )


@staff_view
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    """Change a tier rule (its order, whom it pairs, or switch it off)."""
    actor = request.user
    rule = selectors.rule_get_for(actor=actor, rule_id=rule_id)
    if not selectors.rules_may_edit(actor=actor):
        raise Forbidden()
    form = RuleForm.for_rule(rule, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.tier_rule_update(actor=actor, rule=rule, data=form.rule_data())
        except InvalidInput as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("层级规则已修改，下次生成约谈对子时生效。"))
            return redirect("talk_cycles:rules")
    status = 400 if form.errors else 200
    return render(
        request, "talks/cycles/rule_form.html", {"form": form, "rule": rule}, status=status
    )


@staff_view
@require_POST
def rule_active(request: HttpRequest, rule_id: int) -> HttpResponse:
    """Switch a tier rule on or off."""
    actor = request.user
    rule = selectors.rule_get_for(actor=actor, rule_id=rule_id)
    active = request.POST.get("active") == "1"
    services.tier_rule_set_active(actor=actor, rule=rule, active=active)
    messages.success(request, _("层级规则已启用。") if active else _("层级规则已停用。"))
    return redirect("talk_cycles:rules")
