"""Progress by weight, sub-projects rolling up, the delay sweep, links, and the figures."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.cases.factories import dispatched, make_cast, submit
from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.projects.factories import make_project
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role
from xinsheng.projects import selectors, services, tasks
from xinsheng.projects.choices import ProjectStatus
from xinsheng.projects.models import Project, ProjectEvent

pytestmark = pytest.mark.django_db


def _reload(project: Project) -> Project:
    return Project.objects.get(pk=project.pk)


def test_progress_follows_milestones_by_weight_and_sub_projects_roll_up(tree: Tree) -> None:
    cast = make_cast(tree)
    parent = make_project(cast.dispatcher, tree.company1, title="棚户区改造", kind="phased")
    first = make_project(cast.dispatcher, tree.mine1, title="一期", parent=parent, weight=1)
    second = make_project(cast.dispatcher, tree.mine1, title="二期", parent=parent, weight=3)
    due = timezone.localdate() + dt.timedelta(days=10)
    design = services.milestone_add(
        actor=cast.dispatcher, project=first, title="设计", due_date=due, weight=1
    )
    services.milestone_add(
        actor=cast.dispatcher, project=first, title="施工", due_date=due, weight=3
    )
    services.project_progress_set(actor=cast.dispatcher, project=second, progress=50)

    services.milestone_done(actor=cast.dispatcher, milestone=design)

    assert _reload(first).progress == 25
    assert _reload(parent).progress == (25 * 1 + 50 * 3) // 4
    assert _reload(parent).status == ProjectStatus.IN_PROGRESS
    with pytest.raises(Conflict):  # derived progress is not typed in
        services.project_progress_set(actor=cast.dispatcher, project=parent, progress=10)
    with pytest.raises(Conflict):  # the parent waits for its sub-projects
        services.project_complete(actor=cast.dispatcher, project=parent, answer="完成")
    services.project_cancel(actor=cast.dispatcher, project=second, reason="并入下一年度计划")
    assert _reload(parent).progress == 25  # a cancelled part no longer counts
    services.project_complete(actor=cast.dispatcher, project=first, answer="一期完成")
    assert _reload(parent).progress == 100


def test_the_sweep_marks_late_projects_delayed_once(tree: Tree) -> None:
    cast = make_cast(tree)
    late = make_project(cast.dispatcher, tree.company1, due_in_days=5)
    on_time = make_project(cast.dispatcher, tree.company1, due_in_days=30)
    later = timezone.localdate() + dt.timedelta(days=10)

    assert services.projects_mark_delayed(today=later) == 1
    assert services.projects_mark_delayed(today=later) == 0
    assert _reload(late).status == ProjectStatus.DELAYED
    assert _reload(on_time).status == ProjectStatus.PLANNED
    assert ProjectEvent.objects.filter(project=late, kind="delayed").count() == 1
    assert tasks.delay_sweep in tasks.PERIODIC


def test_moving_the_due_date_of_a_delayed_project_puts_it_back_on_track(tree: Tree) -> None:
    cast = make_cast(tree)
    project = make_project(cast.dispatcher, tree.company1, due_in_days=-1)
    assert project.status == ProjectStatus.DELAYED
    data = services.ProjectData(
        title=project.title,
        owner_unit=project.owner_unit,
        due_date=timezone.localdate() + dt.timedelta(days=20),
    )
    services.project_edit(actor=cast.dispatcher, project=project, data=data)
    assert _reload(project).status == ProjectStatus.PLANNED
    edit = AuditEvent.objects.get(action="project.edited", object_id=str(project.pk))
    assert set(edit.after) == {"due_date"}


def test_a_list_of_cases_links_in_one_step_or_not_at_all(tree: Tree) -> None:
    cast = make_cast(tree)
    project = make_project(cast.dispatcher, tree.company1)
    mine = [submit(tree).case, dispatched(tree, cast).case]
    services.project_link_cases(
        actor=cast.dispatcher, project=project, cases=mine, source="topic:停车难"
    )
    assert project.links.count() == 2
    assert project.links.first().source == "topic:停车难"
    again = services.project_link_cases(actor=cast.dispatcher, project=project, cases=mine)
    assert again == []  # already linked: nothing twice

    admin = make_staff(tree.group, Role.ADMINISTRATOR)
    elsewhere = make_project(admin, tree.company2)
    other_dispatcher = make_staff(tree.company2, Role.DISPATCHER)
    with pytest.raises(NotFound):  # the dispatcher of C2 may not see C1's voices
        services.project_link_cases(actor=other_dispatcher, project=elsewhere, cases=[mine[0]])
    assert elsewhere.links.count() == 0

    services.project_unlink_case(actor=cast.dispatcher, project=project, case=mine[0])
    assert project.links.count() == 1


def test_writes_check_permission_and_input(tree: Tree) -> None:
    cast = make_cast(tree)
    with pytest.raises(Forbidden):
        make_project(cast.handler, tree.area1)
    with pytest.raises(InvalidInput) as error:
        make_project(cast.dispatcher, tree.company1, title="  ")
    assert "title" in error.value.fields
    with pytest.raises(InvalidInput):
        make_project(cast.dispatcher, tree.company1, budget="-5")  # type: ignore[arg-type]
    project = make_project(cast.dispatcher, tree.area1)
    services.project_progress_set(actor=cast.handler, project=project, progress=10)
    with pytest.raises(Forbidden):
        services.project_cancel(actor=cast.handler, project=project, reason="不办了")


def test_project_figures_count_done_projects_commitments_and_voices(tree: Tree) -> None:
    cast = make_cast(tree)
    body = services.commitment_body_create(
        actor=cast.dispatcher, unit=tree.company1, name="2026年职代会"
    )
    done = make_project(
        cast.dispatcher, tree.company1, commitment_body=body, commitment_no=1, title="停车位"
    )
    make_project(cast.dispatcher, tree.mine1, commitment_body=body, commitment_no=2, title="餐厅")
    cases = [dispatched(tree, cast).case, submit(tree).case]
    services.project_link_cases(actor=cast.dispatcher, project=done, cases=cases)
    services.project_complete(actor=cast.dispatcher, project=done, answer="已完成。")
    today = timezone.localdate()

    figures = selectors.project_figures(cast.dispatcher, None, today, today)

    assert figures.projects_done == 1
    assert figures.voices_answered == 2
    assert figures.commitments == {"2026年职代会": (1, 2)}
    mine = selectors.project_figures(cast.dispatcher, tree.mine1, today, today)
    assert mine.projects_done == 0
    assert mine.commitments == {"2026年职代会": (0, 1)}
    outsider = make_staff(tree.company2, Role.LEADER)
    assert selectors.project_figures(outsider, None, today, today).projects_done == 0
    yesterday = today - dt.timedelta(days=1)
    assert selectors.project_figures(cast.dispatcher, None, yesterday, yesterday).projects_done == 0
