"""Staff pages of hot topics (每月一题): the topics of a subtree and period, and turning one into
a practical-matter project."""

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xinsheng.cases import selectors as case_selectors
from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.insight import selectors, services
from xinsheng.insight.models import TopicRun
from xinsheng.org import permissions
from xinsheng.org import selectors as org_selectors

TOPIC_CASES_SHOWN = 200


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    """Return the period asked for (``from``, ``to``); this month so far by default."""
    today = timezone.localdate()
    start = parse_date(request.GET.get("from", "") or "") or today.replace(day=1)
    end = parse_date(request.GET.get("to", "") or "") or today
    return start, end


@staff_view
@require_GET
def topics_page(request: HttpRequest) -> HttpResponse:
    """The hot topics of a unit subtree: the chosen run, or the newest one, ranked."""
    actor = request.user
    unit = selectors.topic_unit_for(actor=actor, code=request.GET.get("unit"))
    start, end = _period(request)
    runs = selectors.topic_runs_for(actor=actor, unit=unit)
    chosen = request.GET.get("run", "")
    run = (
        selectors.topic_run_get_for(actor=actor, run_id=int(chosen))
        if chosen.isdigit()
        else runs.first()
    )
    topics = list(run.topics.all()) if run is not None else []
    examples = selectors.topic_representatives_for(actor=actor, topics=topics)
    for topic in topics:
        topic.examples = examples.get(topic.pk, [])  # type: ignore[attr-defined]
    return render(
        request,
        "insight/topics.html",
        {"unit": unit, "start": start, "end": end, "run": run, "topics": topics, "runs": runs[:12]},
    )


@staff_view
@require_POST
def topics_request(request: HttpRequest) -> HttpResponse:
    """Queue a new analysis of the chosen subtree and period."""
    actor = request.user
    unit = selectors.topic_unit_for(actor=actor, code=request.POST.get("unit"))
    start = parse_date(request.POST.get("from", "") or "")
    end = parse_date(request.POST.get("to", "") or "")
    if start is None or end is None:
        messages.error(request, _("请填写正确的开始和结束日期。"))
        return redirect(f"{_topics_url()}?unit={unit.code}")
    try:
        run = services.topics_request(actor=actor, unit=unit, start=start, end=end)
    except InvalidInput as error:
        messages.error(request, str(error.message))
        return redirect(f"{_topics_url()}?unit={unit.code}")
    return redirect(f"{_topics_url()}?unit={unit.code}&run={run.pk}")


def _topics_url() -> str:
    return reverse("insight:topics")


@staff_view
@require_GET
def topic_run_status(request: HttpRequest, run_id: int) -> HttpResponse:
    """The progress line of a run, polled while it works; reloads the page once it is done."""
    run = selectors.topic_run_get_for(actor=request.user, run_id=run_id)
    response = render(request, "insight/_run_status.html", {"run": run})
    if run.status in (TopicRun.Status.DONE, TopicRun.Status.FAILED):
        response["HX-Refresh"] = "true"
    return response


@staff_view
@require_GET
def topic_detail(request: HttpRequest, topic_id: int) -> HttpResponse:
    """One topic: its key terms and voices, and (for project managers) the step to a project."""
    actor = request.user
    topic = selectors.topic_get_for(actor=actor, topic_id=topic_id)
    cases = list(selectors.topic_cases_for(actor=actor, topic=topic)[:TOPIC_CASES_SHOWN])
    rows = [
        {"case": case, "origin": case_selectors.case_origin_shown(actor=actor, case=case)}
        for case in cases
    ]
    return render(
        request,
        "insight/topic.html",
        {
            "topic": topic,
            "rows": rows,
            "may_project": permissions.may(actor, "project.manage", topic.run.unit),
            "due_default": timezone.localdate() + dt.timedelta(days=90),
        },
    )


@staff_view
@require_POST
def topic_to_project(request: HttpRequest, topic_id: int) -> HttpResponse:
    """Make the topic a practical-matter project, with all its voices linked."""
    actor = request.user
    topic = selectors.topic_get_for(actor=actor, topic_id=topic_id)
    try:
        owner = org_selectors.unit_get_for(
            actor=actor, code=request.POST.get("owner_unit", "").strip() or topic.run.unit.code
        )
    except NotFound:
        messages.error(request, _("找不到该责任单位。"))
        return redirect("insight:topic", topic.pk)
    due = parse_date(request.POST.get("due_date", "") or "")
    if due is None:
        messages.error(request, _("请填写正确的完成时限。"))
        return redirect("insight:topic", topic.pk)
    try:
        project = services.topic_to_project(
            actor=actor,
            topic=topic,
            owner_unit=owner,
            due_date=due,
            title=request.POST.get("title", "").strip() or topic.label,
        )
    except InvalidInput as error:
        messages.error(request, str(error.message))
        return redirect("insight:topic", topic.pk)
    messages.success(request, _("已转为实事项目，关联诉求%(n)d条。") % {"n": topic.size})
    return redirect("projects:detail", project.pk)
