"""The projects part of the demo enterprise: a dozen practical-matter projects, a workers'
congress list of ten promises, milestones, sub-projects, and demo voices linked to them.

Everything is made through the services, as the administrator, so that the demo's projects have
the same events, audit rows and case timelines as real ones. Projects that are done answer
their linked voices, whose submitters can then rate the answer.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from xinsheng.cases.choices import CaseStatus
from xinsheng.cases.models import Case
from xinsheng.core.notifications import notifications_suppressed
from xinsheng.org import demo as org_demo
from xinsheng.org.choices import UnitKind
from xinsheng.org.models import OrgUnit
from xinsheng.projects import services
from xinsheng.projects.choices import ProjectKind
from xinsheng.projects.models import CommitmentBody, Project

BODY_NAME = "2026年职代会"
LINKABLE = (
    CaseStatus.SUBMITTED,
    CaseStatus.ACCEPTED,
    CaseStatus.DISPATCHED,
    CaseStatus.IN_PROGRESS,
)


@dataclass(frozen=True)
class Plan:
    """One demo project: where it sits, what it answers and how far it has come."""

    title: str
    where: str  # "company", "mine", "union" or "group"
    kind: str
    category: str  # demo case category whose voices it answers
    due_days: int  # from today; negative: already late
    milestones: tuple[str, ...]
    done_milestones: int
    state: str  # "done", "running", "planned"
    promised: bool  # one of the congress's ten promises
    budget: int | None
    leader: str
    description: str
    answer: str = ""


PLANS = (
    Plan(
        "增设职工停车位75个",
        "mine",
        ProjectKind.DEADLINE,
        "parking",
        -20,
        ("选址规划", "场地硬化", "划线及配套照明"),
        3,
        "done",
        True,
        420000,
        "王建国",
        "在矿区东门新建停车场，增设职工停车位75个，配套照明和监控。",
        "矿区东门停车场已建成投用，新增停车位75个，夜间照明和监控同步投用，欢迎职工使用。",
    ),
    Plan(
        "职工餐厅扩建100平方米",
        "mine",
        ProjectKind.DEADLINE,
        "canteen",
        45,
        ("方案设计", "主体施工", "设备安装", "试运营"),
        2,
        "running",
        True,
        860000,
        "王建国",
        "扩建职工餐厅100平方米，增设夜班热食窗口，解决就餐拥挤问题。",
    ),
    Plan(
        "太阳花爱心托管班",
        "union",
        ProjectKind.IMMEDIATE,
        "schooling",
        -40,
        ("招募志愿者", "开班"),
        2,
        "done",
        True,
        60000,
        "刘红梅",
        "寒暑假为双职工子女开办爱心托管班，安排作业辅导和文体活动。",
        "太阳花爱心托管班已于假期开班，共托管职工子女56名，志愿者老师12名。",
    ),
    Plan(
        "棚户区改造",
        "company",
        ProjectKind.PHASED,
        "housing",
        300,
        (),
        0,
        "running",
        True,
        None,
        "张志强",
        "分期完成老旧棚户区改造，改善职工住房条件。",
    ),
    Plan(
        "通勤班车增开夜班线路",
        "company",
        ProjectKind.IMMEDIATE,
        "shuttle",
        -10,
        ("线路调研", "开通运行"),
        2,
        "done",
        True,
        180000,
        "张志强",
        "根据职工反映，增开夜班下班通勤班车线路两条。",
        "夜班通勤班车已增开两条线路，覆盖主要居住区，发车时间与交接班衔接。",
    ),
    Plan(
        "井口浴室热水系统改造",
        "mine",
        ProjectKind.DEADLINE,
        "bathhouse",
        -5,
        ("设备采购", "管网改造", "调试"),
        1,
        "running",
        True,
        260000,
        "王建国",
        "改造井口浴室热水系统，保证升井职工全天有热水。",
    ),
    Plan(
        "劳保用品按季配发到班组",
        "company",
        ProjectKind.IMMEDIATE,
        "ppe",
        20,
        ("核定标准", "首批配发"),
        1,
        "running",
        True,
        None,
        "张志强",
        "劳保用品按季度直接配发到班组，减少领取环节。",
    ),
    Plan(
        "职工书屋升级改造",
        "union",
        ProjectKind.DEADLINE,
        "recreation",
        90,
        ("图书采购", "场地改造"),
        0,
        "planned",
        True,
        50000,
        "刘红梅",
        "升级职工书屋，增加电子阅览区和夜班开放时间。",
    ),
    Plan(
        "职工健康体检扩项",
        "union",
        ProjectKind.DEADLINE,
        "medical",
        120,
        ("确定体检机构", "组织体检"),
        0,
        "planned",
        True,
        320000,
        "刘红梅",
        "职工健康体检增加职业病筛查项目，实现一人一档。",
    ),
    Plan(
        "电动车充电车棚建设",
        "mine",
        ProjectKind.DEADLINE,
        "parking",
        30,
        ("车棚搭建", "充电桩安装"),
        1,
        "running",
        True,
        90000,
        "王建国",
        "在职工宿舍区建设电动车充电车棚，安装智能充电桩40个。",
    ),
    Plan(
        "井下通信信号覆盖提升",
        "mine",
        ProjectKind.DEADLINE,
        "other",
        150,
        ("信号勘测", "基站安装", "验收"),
        1,
        "running",
        False,
        540000,
        "赵永刚",
        "提升井下主要巷道通信信号覆盖，方便联络和应急。",
    ),
    Plan(
        "师带徒技能培训补贴",
        "company",
        ProjectKind.IMMEDIATE,
        "training",
        15,
        (),
        0,
        "running",
        False,
        120000,
        "张志强",
        "为签订师带徒协议的师傅发放带徒补贴，提升青工技能。",
    ),
)
PHASES = (
    (
        "棚户区改造一期（东区）",
        2,
        ("拆迁安置", "主体施工", "交付入住"),
        3,
        "done",
        "一期东区改造已交付，126户职工家庭入住新居。",
    ),
    (
        "棚户区改造二期（西区）",
        3,
        ("规划审批", "拆迁安置", "主体施工", "交付入住"),
        1,
        "running",
        "",
    ),
)


def demo_projects_exist() -> bool:
    """Return whether demo projects exist."""
    group = OrgUnit.objects.filter(code=org_demo.GROUP_CODE).first()
    return (
        group is not None
        and Project.objects.filter(owner_unit__path__startswith=group.path).exists()
    )


def _children(unit: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("path")


def _units(group: OrgUnit) -> dict[str, OrgUnit]:
    company = _children(group).filter(kind=UnitKind.COMPANY).first() or group
    mine = _children(company).filter(kind=UnitKind.MINE).first() or company
    union = _children(company).filter(name__contains="工会").first() or company
    return {"group": group, "company": company, "mine": mine, "union": union}


@transaction.atomic
def demo_load(*, seed: int = org_demo.DEFAULT_SEED) -> dict[str, int]:
    """Build the demo projects unless they exist; return how many of what were made."""
    if not org_demo.demo_exists() or demo_projects_exist():
        return {}
    actor = User.objects.filter(username="admin").first()
    if actor is None:
        return {}
    rng = random.Random(f"xinsheng.projects.demo:{seed}")
    units = _units(org_demo.demo_group())
    with notifications_suppressed():
        body = CommitmentBody.objects.filter(name=BODY_NAME).first() or (
            services.commitment_body_create(
                actor=actor,
                unit=units["company"],
                name=BODY_NAME,
                held_on=timezone.localdate().replace(month=1, day=20),
            )
        )
        return _build(actor, rng, units, body)


def _build(
    actor: User, rng: random.Random, units: dict[str, OrgUnit], body: CommitmentBody
) -> dict[str, int]:
    today = timezone.localdate()
    counts = {"projects": 0, "done": 0, "linked": 0, "answered": 0, "commitments": 0}
    number = 0
    for plan in PLANS:
        promised_no = None
        if plan.promised:
            number += 1
            promised_no = number
        project = services.project_create(
            actor=actor,
            data=services.ProjectData(
                title=plan.title,
                owner_unit=units[plan.where],
                due_date=today + dt.timedelta(days=plan.due_days),
                kind=plan.kind,
                description=plan.description,
                leader_name=plan.leader,
                budget=Decimal(plan.budget) if plan.budget is not None else None,
                commitment_body=body if plan.promised else None,
                commitment_no=promised_no,
            ),
        )
        counts["projects"] += 1
        counts["commitments"] += int(plan.promised)
        if plan.title == "棚户区改造":
            counts = _phases(actor, project, units, today, counts)
        elif not plan.milestones and plan.state == "running":
            services.project_progress_set(actor=actor, project=project, progress=60)
        _milestones(actor, project, plan.milestones, plan.done_milestones, today, plan.due_days)
        counts["linked"] += _link(actor, rng, project, plan.category, units[plan.where])
        if plan.state == "done":
            done = services.project_complete(actor=actor, project=project, answer=plan.answer)
            counts["done"] += 1
            counts["answered"] += len(done.answered)
    counts["delayed"] = services.projects_mark_delayed(today=today)
    return counts


def _milestones(
    actor: User, project: Project, titles: tuple[str, ...], done: int, today: dt.date, days: int
) -> None:
    span = max(abs(days), len(titles) * 10)
    start = today - dt.timedelta(days=span if days < 0 else span // 3)
    for index, title in enumerate(titles, start=1):
        due = start + dt.timedelta(days=span * index // max(len(titles), 1))
        milestone = services.milestone_add(
            actor=actor, project=project, title=title, due_date=due, weight=1 + index % 2
        )
        if index <= done:
            services.milestone_done(actor=actor, milestone=milestone)


def _phases(
    actor: User,
    parent: Project,
    units: dict[str, OrgUnit],
    today: dt.date,
    counts: dict[str, int],
) -> dict[str, int]:
    for title, weight, milestones, done, state, answer in PHASES:
        phase = services.project_create(
            actor=actor,
            data=services.ProjectData(
                title=title,
                owner_unit=units["company"],
                due_date=today + dt.timedelta(days=-15 if state == "done" else 280),
                kind=ProjectKind.DEADLINE,
                leader_name="张志强",
                parent=parent,
                weight=weight,
            ),
        )
        _milestones(actor, phase, milestones, done, today, -15 if state == "done" else 280)
        if state == "done":
            services.project_complete(actor=actor, project=phase, answer=answer)
            counts["done"] += 1
        counts["projects"] += 1
    return counts


def _link(actor: User, rng: random.Random, project: Project, category: str, unit: OrgUnit) -> int:
    """Link a few open demo voices of ``category`` raised in ``unit``'s subtree."""
    candidates = list(
        Case.objects.filter(
            category__code=category,
            status__in=LINKABLE,
            origin_unit__path__startswith=unit.path,
            project_links__isnull=True,
        )
        .order_by("id")
        .values_list("pk", flat=True)[:40]
    )
    if not candidates:
        return 0
    chosen = rng.sample(candidates, min(len(candidates), rng.randint(2, 5)))
    cases = list(Case.objects.filter(pk__in=chosen))
    source = "demo"
    return len(
        services.project_link_cases(actor=actor, project=project, cases=cases, source=source)
    )
