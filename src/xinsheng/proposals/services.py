"""Every write of proposals up to the decision: windows, intake, voices turned into proposals,
evaluators and their scores, and the committee's decision.

Each service runs in one transaction, checks the actor's permission, checks every rule before
its first write (a clear Chinese message, nothing written), writes, and records its audit event
and the proposal's history. Implementation and rewards are in ``implementation`` and
``rewards``.
"""

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from xinsheng.cases import services as case_services
from xinsheng.cases.choices import CaseKind
from xinsheng.cases.intake import idempotency, receipts
from xinsheng.cases.models import Case
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import Conflict, Forbidden, NotFound
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit, Person
from xinsheng.proposals import validation
from xinsheng.proposals.choices import (
    ADOPTING,
    DEFAULT_CATEGORIES,
    UNDECIDED,
    Channel,
    Decision,
    EventKind,
    ProposalStatus,
)
from xinsheng.proposals.files import Attachments, attachments_store
from xinsheng.proposals.models import (
    Assignment,
    CategoryExpert,
    CoAuthor,
    IntakeKey,
    Proposal,
    ProposalEvent,
    Score,
    Window,
)
from xinsheng.proposals.validation import refuse

RECORD = "proposal.record"
MANAGE = "proposal.manage"
DECIDE = "proposal.decide"
_BODY_SALT = "xinsheng.proposals.intake.body"


def event_add(
    proposal: Proposal,
    kind: str,
    *,
    actor: Actor | None,
    note: str = "",
    public: bool = True,
    data: dict[str, Any] | None = None,
) -> ProposalEvent:
    """Append an event to ``proposal``'s history."""
    return ProposalEvent.objects.create(
        proposal=proposal,
        kind=kind,
        public=public,
        note=note[:500],
        data=data or {},
        actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
    )


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related("window").get(pk=proposal.pk)


# --- windows --------------------------------------------------------------------------------------


def _window_clean(
    *,
    title: str,
    opens_on: object,
    closes_on: object,
    criteria: list[dict[str, Any]],
    tiers: list[dict[str, Any]],
    categories: list[str] | None,
    notice_days: object,
    note: str,
) -> dict[str, Any]:
    """Return a window's fields checked, or refuse the first that is wrong (nothing written)."""
    title = validation.text_clean("title", title, label=_("活动名称"), limit=100)
    opens = validation.date_clean("opens_on", opens_on, label=_("开始日期"))
    closes = validation.date_clean("closes_on", closes_on, label=_("截止日期"))
    if closes < opens:
        raise refuse("closes_on", _("截止日期不能早于开始日期。"))
    names = [str(name).strip()[:20] for name in (categories or DEFAULT_CATEGORIES) if name]
    names = [name for name in dict.fromkeys(names) if name]
    if not names:
        raise refuse("categories", _("请至少设定一个类别。"))
    try:
        days = int(str(notice_days).strip())
    except ValueError:
        days = 0
    if not 1 <= days <= 30:
        raise refuse("notice_days", _("公示天数须为1至30天。"))
    return {
        "title": title,
        "opens_on": opens,
        "closes_on": closes,
        "categories": names,
        "criteria": validation.rubric_clean(criteria),
        "tiers": validation.tiers_clean(tiers),
        "notice_days": days,
        "note": str(note or "").strip()[:500],
    }


Experts = dict[str, list[Person]]


def _experts_clean(experts: Experts | None, categories: list[str]) -> Experts:
    """Return the named experts per category, each category one of the window's."""
    cleaned: Experts = {}
    for category, people in (experts or {}).items():
        name = str(category).strip()
        if name not in categories:
            raise refuse(
                "experts",
                _("评审专家的类别“%(name)s”不是本活动设定的类别。") % {"name": name[:20]},
            )
        chosen = list(dict.fromkeys(people))
        if chosen:
            cleaned[name] = chosen
    return cleaned


def _experts_write(window: Window, experts: Experts) -> None:
    CategoryExpert.objects.filter(window=window).delete()
    CategoryExpert.objects.bulk_create(
        CategoryExpert(window=window, category=category, person=person)
        for category, people in experts.items()
        for person in people
    )


def experts_of(window: Window) -> dict[str, list[str]]:
    """Return the employee numbers of the window's experts per category (for audit and API)."""
    found: dict[str, list[str]] = {}
    rows = window.experts.select_related("person").order_by("category", "person__employee_no")
    for row in rows:
        found.setdefault(row.category, []).append(row.person.employee_no)
    return found


@transaction.atomic
def window_create(
    *,
    actor: Actor,
    unit: OrgUnit,
    title: str,
    opens_on: object,
    closes_on: object,
    criteria: list[dict[str, Any]],
    tiers: list[dict[str, Any]],
    categories: list[str] | None = None,
    committee: list[Person] | None = None,
    notice_days: int = 5,
    note: str = "",
    experts: Experts | None = None,
) -> Window:
    """Open a collection window (征集活动) for ``unit``'s subtree.

    ``experts`` names expert evaluators per category: the default evaluators of its proposals.
    """
    permissions.require(actor, MANAGE, unit)
    fields = _window_clean(
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        criteria=criteria,
        tiers=tiers,
        categories=categories,
        notice_days=notice_days,
        note=note,
    )
    named = _experts_clean(experts, fields["categories"])
    window = Window.objects.create(unit=unit, unit_path=unit.path, **fields)
    if committee:
        window.committee.set(committee)
    _experts_write(window, named)
    audit_record(
        actor=actor,
        action="proposal.window.create",
        obj=window,
        after={
            "title": fields["title"],
            "unit": unit.code,
            "opens_on": str(fields["opens_on"]),
            "closes_on": str(fields["closes_on"]),
            "experts": experts_of(window),
        },
    )
    return window


def _window_change_check(window: Window, unit: OrgUnit, fields: dict[str, Any]) -> None:
    """Refuse a change that would leave proposals, scores or rewards the window no longer
    explains: a new subtree once proposals came in, a category still in use, a rubric once
    scored, a tier once awarded."""
    proposals = Proposal.objects.filter(window=window)
    if unit.pk != window.unit_id and proposals.exists():
        raise refuse("unit", _("已有建议提交到本活动，不能再更改征集范围。"))
    used = set(proposals.exclude(category="").values_list("category", flat=True))
    missing = sorted(used - set(fields["categories"]))
    if missing:
        raise refuse(
            "categories",
            _("类别“%(names)s”已有建议使用，不能删除。") % {"names": "、".join(missing)},
        )
    if (
        fields["criteria"] != window.criteria
        and Score.objects.filter(assignment__proposal__window=window).exists()
    ):
        raise refuse("criteria", _("已有评委按现行评审标准打分，不能再更改评审标准。"))
    awarded = set(proposals.exclude(reward_tier="").values_list("reward_tier", flat=True))
    before = {row["code"]: row for row in window.tiers}
    after = {row["code"]: row for row in fields["tiers"]}
    changed = sorted(code for code in awarded if before.get(code) != after.get(code))
    if changed:
        names = "、".join(str(before.get(code, {}).get("name", code)) for code in changed)
        raise refuse(
            "tiers",
            _("奖励等级“%(names)s”已评定奖励，不能更改或删除。") % {"names": names},
        )


@transaction.atomic
def window_update(
    *,
    actor: Actor,
    window: Window,
    unit: OrgUnit,
    title: str,
    opens_on: object,
    closes_on: object,
    criteria: list[dict[str, Any]],
    tiers: list[dict[str, Any]],
    categories: list[str] | None = None,
    committee: list[Person] | None = None,
    notice_days: int = 5,
    note: str = "",
    experts: Experts | None = None,
) -> Window:
    """Change a collection window; refuse what would invalidate its scores or rewards.

    ``experts`` replaces the named experts per category (none when left out); proposals
    already assigned keep their evaluators.
    """
    window = Window.objects.select_for_update().select_related("unit").get(pk=window.pk)
    permissions.require(actor, MANAGE, window.unit)
    permissions.require(actor, MANAGE, unit)
    fields = _window_clean(
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        criteria=criteria,
        tiers=tiers,
        categories=categories,
        notice_days=notice_days,
        note=note,
    )
    _window_change_check(window, unit, fields)
    named = _experts_clean(experts, fields["categories"])
    before = {
        "title": window.title,
        "unit": window.unit.code,
        "opens_on": str(window.opens_on),
        "closes_on": str(window.closes_on),
        "categories": window.categories,
        "criteria": window.criteria,
        "tiers": window.tiers,
        "notice_days": window.notice_days,
        "committee": sorted(window.committee.values_list("employee_no", flat=True)),
        "experts": experts_of(window),
    }
    for name, value in fields.items():
        setattr(window, name, value)
    window.unit = unit
    window.unit_path = unit.path
    window.save()
    window.committee.set(committee or [])
    _experts_write(window, named)
    audit_record(
        actor=actor,
        action="proposal.window.update",
        obj=window,
        before=before,
        after={
            **fields,
            "unit": unit.code,
            "opens_on": str(fields["opens_on"]),
            "closes_on": str(fields["closes_on"]),
            "committee": sorted(person.employee_no for person in committee or []),
            "experts": experts_of(window),
        },
    )
    return window


def window_open_for(unit: OrgUnit, day: dt.date | None = None) -> Window | None:
    """Return the window taking proposals from ``unit`` on ``day`` (the nearest above it)."""
    day = day or timezone.localdate()
    windows = Window.objects.filter(opens_on__lte=day, closes_on__gte=day)
    found = [window for window in windows if unit.path.startswith(window.unit_path)]
    return max(found, key=lambda window: len(window.unit_path), default=None)


# --- intake ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    """A proposal taken in, and its receipt code (shown this once; only its hash is kept)."""

    proposal: Proposal
    receipt_code: str
    created: bool = True


@dataclass(frozen=True)
class Draft:
    """What a proposal says, as it came in."""

    title: str
    problem: str
    measure: str
    benefit: str = ""
    estimated_savings: object = None
    category: str = ""
    co_authors: list[dict[str, Any]] | None = None

    def canonical(self, unit_code: str, name: str, employee_no: str) -> bytes:
        """Return the canonical JSON an idempotency key is bound to."""
        document = {
            "unit": unit_code.strip(),
            "title": self.title.strip(),
            "problem": self.problem.strip(),
            "measure": self.measure.strip(),
            "benefit": self.benefit.strip(),
            "estimated_savings": str(self.estimated_savings or "").strip(),
            "category": self.category.strip(),
            "name": name.strip(),
            "employee_no": employee_no.strip(),
            "co_authors": self.co_authors or [],
        }
        text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return text.encode()


def proposal_no_next(window: Window) -> str:
    """Return the next proposal number of the year (the window row is locked by the caller)."""
    year = timezone.localdate().year
    prefix = f"JY{year}-"
    last = Proposal.objects.filter(proposal_no__startswith=prefix).aggregate(
        last=Max("proposal_no")
    )["last"]
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:05d}"


def _proposer(name: str, employee_no: str, unit: OrgUnit) -> Person:
    """Return the named proposer, who must be an employee of ``unit``'s subtree."""
    name = validation.text_clean("name", name, label=_("姓名"), limit=50)
    number = validation.text_clean("employee_no", employee_no, label=_("工号"), limit=32)
    person = Person.objects.select_related("unit").filter(employee_no=number).first()
    if person is None or person.name != name or not person.unit.path.startswith(unit.path):
        raise refuse("employee_no", _("姓名与工号不符，或不是本单位职工，请核对。"))
    return person


def checked_fields(draft: Draft, window: Window) -> dict[str, Any]:
    """Return the fields of ``draft`` checked against ``window`` (raising ``InvalidInput``)."""
    category = draft.category.strip()
    if category and category not in window.categories:
        raise refuse(
            "category",
            _("类别须为本活动设定的类别之一：%(names)s。")
            % {"names": "、".join(window.categories)},
        )
    return {
        "title": validation.text_clean("title", draft.title, label=_("题目"), limit=100),
        "problem": validation.text_clean("problem", draft.problem, label=_("存在问题"), limit=2000),
        "measure": validation.text_clean("measure", draft.measure, label=_("建议措施"), limit=2000),
        "benefit": validation.text_clean(
            "benefit", draft.benefit, label=_("预期效益"), limit=1000, required=False
        ),
        "estimated_savings": validation.money_clean(
            "estimated_savings", draft.estimated_savings, label=_("预计创效")
        ),
        "category": category,
    }


def _write(
    *,
    window: Window,
    unit: OrgUnit,
    proposer: Person,
    authors: list[tuple[Person, int]],
    fields: dict[str, Any],
    channel: str,
    actor: Actor | None,
    receipt_hash: str | None,
    case: Case | None = None,
) -> Proposal:
    Window.objects.select_for_update().filter(pk=window.pk).first()
    proposal = Proposal.objects.create(
        proposal_no=proposal_no_next(window),
        window=window,
        unit=unit,
        unit_path=unit.path,
        proposer=proposer,
        channel=channel,
        receipt_hash=receipt_hash,
        case=case,
        **fields,
    )
    CoAuthor.objects.bulk_create(
        CoAuthor(proposal=proposal, person=person, share=share) for person, share in authors
    )
    event_add(proposal, EventKind.SUBMITTED, actor=actor, data={"channel": channel})
    audit_record(
        actor=actor,
        action="proposal.submit",
        obj=proposal,
        after={"proposal_no": proposal.proposal_no, "channel": channel, "title": proposal.title},
    )
    return proposal


@transaction.atomic
def proposal_submit_at(
    *,
    unit_code: str,
    draft: Draft,
    name: str,
    employee_no: str,
    channel: str = Channel.API,
    intake_key: str | None = None,
    attachments: Attachments | None = None,
) -> Submitted:
    """Take a proposal by name at the unit ``unit_code`` (the public form and the API).

    With ``intake_key`` a retry with the same proposal gets the first answer back (the same
    number and receipt code); the same key with another proposal is refused, nothing written.
    ``attachments``, checked by ``files.attachments_clean`` before, are stored with it.
    """
    unit = OrgUnit.objects.filter(code=unit_code.strip()[:32]).first()
    if unit is None:
        raise NotFound(_("找不到该单位。"), code="unit_not_found")
    key = idempotency.key_clean(intake_key)
    claim: tuple[str, str] | None = None
    if key is not None:
        body = draft.canonical(unit.code, name, employee_no)
        claim = (
            idempotency.key_hash(unit.code, key),
            salted_hmac(_BODY_SALT, body, algorithm="sha256").hexdigest(),
        )
        earlier = IntakeKey.objects.select_related("proposal").filter(key_hash=claim[0]).first()
        if earlier is not None:
            if earlier.body_hash != claim[1]:
                raise idempotency.IntakeKeyReused()
            code = idempotency.receipt_for(*claim)
            return Submitted(earlier.proposal, code, created=False)
    window = window_open_for(unit)
    if window is None:
        raise refuse("unit", _("本单位目前没有正在征集的合理化建议活动。"))
    proposer = _proposer(name, employee_no, unit)
    fields = checked_fields(draft, window)
    authors = validation.shares_clean(proposer, draft.co_authors)
    code = idempotency.receipt_for(*claim) if claim else receipts.receipt_new()
    proposal = _write(
        window=window,
        unit=proposer.unit,
        proposer=proposer,
        authors=authors,
        fields=fields,
        channel=channel,
        actor=None,
        receipt_hash=receipts.receipt_hash(code),
    )
    if claim is not None:
        IntakeKey.objects.create(key_hash=claim[0], body_hash=claim[1], proposal=proposal)
    if attachments:
        attachments_store(proposal, attachments)
    return Submitted(proposal, code)


@transaction.atomic
def proposal_record(
    *,
    actor: Actor,
    window: Window,
    proposer: Person,
    draft: Draft,
    channel: str = Channel.RECORDER,
) -> Submitted:
    """Enter a proposal for ``proposer`` (a recorder, or a row of an imported sheet)."""
    permissions.require(actor, RECORD, proposer.unit)
    if not proposer.unit.path.startswith(window.unit_path):
        raise refuse("employee_no", _("建议人不在本活动的征集范围内。"))
    fields = checked_fields(draft, window)
    authors = validation.shares_clean(proposer, draft.co_authors)
    code = receipts.receipt_new()
    proposal = _write(
        window=window,
        unit=proposer.unit,
        proposer=proposer,
        authors=authors,
        fields=fields,
        channel=channel,
        actor=actor,
        receipt_hash=receipts.receipt_hash(code),
    )
    return Submitted(proposal, code)


@transaction.atomic
def proposal_from_case(
    *,
    actor: Actor,
    case: Case,
    window: Window,
    measure: str = "",
    category: str = "",
    estimated_savings: object = None,
) -> Proposal:
    """Turn the 建议 voice ``case`` into a proposal in ``window`` without retyping it.

    The voice is answered with a pointer to the proposal, through the loop's own moves, so its
    submitter sees on their follow-up page where it went (and then the proposal's progress).
    """
    permissions.require(actor, RECORD, case.origin_unit)
    if case.kind != CaseKind.SUGGESTION:
        raise refuse("case", _("只有“建议”类的诉求可以转为合理化建议。"))
    if case.is_anonymous or not case.submitter_employee_no:
        raise refuse("case", _("匿名建议没有建议人，不能转为合理化建议。"))
    if Proposal.objects.filter(case=case).exists():
        raise Conflict(_("该建议已转为合理化建议。"))
    if not case.origin_unit.path.startswith(window.unit_path):
        raise refuse("window", _("该建议的单位不在本活动的征集范围内。"))
    proposer = (
        Person.objects.select_related("unit").filter(employee_no=case.submitter_employee_no).first()
    )
    if proposer is None:
        raise refuse("case", _("找不到建议人的职工信息，不能转为合理化建议。"))
    draft = Draft(
        title=case.title,
        problem=case.text,
        measure=measure.strip() or case.text,
        estimated_savings=estimated_savings,
        category=category,
    )
    fields = checked_fields(draft, window)
    proposal = _write(
        window=window,
        unit=proposer.unit,
        proposer=proposer,
        authors=[(proposer, 100)],
        fields=fields,
        channel=Channel.VOICE,
        actor=actor,
        receipt_hash=None,  # the voice's own receipt code follows it
        case=case,
    )
    text = _(
        "您的建议已转为合理化建议（编号%(no)s），纳入“%(window)s”评审。"
        "评审、采纳、实施和奖励情况请继续凭本查询码查看。"
    ) % {"no": proposal.proposal_no, "window": window.title}
    case_services.case_answer_for_unit(
        case=case,
        unit=case.responsible_unit or case.origin_unit,
        actor=actor,
        text=text,
        note=_("转为合理化建议%(no)s") % {"no": proposal.proposal_no},
        detail={"proposal": proposal.proposal_no},
    )
    return proposal


# --- evaluation -----------------------------------------------------------------------------------


def default_evaluators(proposal: Proposal) -> list[Person]:
    """Return who evaluates ``proposal`` unless others are chosen: the experts its window names
    for its category, else the window's committee."""
    experts = [
        row.person
        for row in CategoryExpert.objects.filter(
            window_id=proposal.window_id, category=proposal.category
        )
        .exclude(category="")
        .select_related("person")
        .order_by("id")
    ]
    return experts or list(proposal.window.committee.order_by("employee_no"))


def eligible_evaluators(proposal: Proposal) -> list[Person]:
    """Return who may evaluate ``proposal``: its category's experts and the committee."""
    return list(dict.fromkeys([*default_evaluators(proposal), *proposal.window.committee.all()]))


@transaction.atomic
def evaluators_assign(
    *, actor: Actor, proposal: Proposal, evaluators: list[Person] | None = None
) -> Proposal:
    """Give ``proposal`` to ``evaluators``: members of its window's committee or experts named
    for its category. Without ``evaluators`` it goes to the category's experts, else to the
    whole committee."""
    proposal = _locked(proposal)
    permissions.require(actor, MANAGE, proposal.window.unit)
    if proposal.status not in UNDECIDED:
        raise Conflict(_("该建议已有评审决定，不能再分配评审。"))
    evaluators = list(evaluators or default_evaluators(proposal))
    if not evaluators:
        raise refuse("evaluators", _("请选择评审人。"))
    eligible = {person.pk for person in eligible_evaluators(proposal)}
    outside = [person.name for person in evaluators if person.pk not in eligible]
    if outside:
        raise refuse(
            "evaluators",
            _("%(names)s不是本活动评审委员会成员，也不是该类别的评审专家。")
            % {"names": "、".join(outside)},
        )
    known = set(proposal.assignments.values_list("evaluator_id", flat=True))
    new = [person for person in dict.fromkeys(evaluators) if person.pk not in known]
    Assignment.objects.bulk_create(Assignment(proposal=proposal, evaluator=p) for p in new)
    previous = proposal.status
    proposal.status = ProposalStatus.EVALUATING
    proposal.save(update_fields=["status", "updated_at"])
    if previous != ProposalStatus.EVALUATING:
        event_add(proposal, EventKind.ASSIGNED, actor=actor, note=_("进入评审"))
    audit_record(
        actor=actor,
        action="proposal.assign",
        obj=proposal,
        before={"status": previous},
        after={"evaluators": [person.employee_no for person in new]},
    )
    return proposal


def _assignment_of(actor: Actor, proposal: Proposal) -> Assignment:
    person = Person.objects.filter(user_id=actor.pk).first() if actor.is_authenticated else None
    found = (
        Assignment.objects.filter(proposal=proposal, evaluator=person).first() if person else None
    )
    if found is None:
        raise Forbidden(_("该建议没有分配给您评审。"))
    return found


@transaction.atomic
def proposal_score(
    *, actor: Actor, proposal: Proposal, scores: dict[str, object], comment: str = ""
) -> Assignment:
    """Record the acting evaluator's scores (one per criterion of the rubric) and comment.

    An evaluator may correct their scores until the committee decides.
    """
    proposal = _locked(proposal)
    assignment = _assignment_of(actor, proposal)
    if proposal.status not in UNDECIDED:
        raise Conflict(_("该建议已有评审决定，不能再评分。"))
    criteria = proposal.window.criteria
    given = dict(scores or {})
    unknown = sorted(set(given) - {row["code"] for row in criteria})
    if unknown:
        raise refuse(
            "scores",
            _("评分标准“%(codes)s”不在本活动的评审标准中。") % {"codes": "、".join(unknown)},
        )
    values: dict[str, int] = {}
    for row in criteria:
        raw = given.get(row["code"])
        try:
            value = int(str(raw).strip()) if raw is not None and str(raw).strip() else None
        except ValueError:
            value = None
        if value is None or not 0 <= value <= int(row["max"]):
            raise refuse(
                f"scores.{row['code']}",
                _("“%(name)s”须打0至%(max)s分的整数。") % {"name": row["name"], "max": row["max"]},
            )
        values[row["code"]] = value
    comment = validation.text_clean(
        "comment", comment, label=_("评审意见"), limit=500, required=False
    )
    assignment.scores.all().delete()
    Score.objects.bulk_create(
        Score(assignment=assignment, criterion=code, value=value) for code, value in values.items()
    )
    assignment.total = sum(values.values())
    assignment.comment = comment
    assignment.scored_at = timezone.now()
    assignment.save()
    event_add(
        proposal,
        EventKind.SCORED,
        actor=actor,
        public=False,
        data={"evaluator": assignment.evaluator_id, "total": assignment.total},
    )
    audit_record(actor=actor, action="proposal.score", obj=proposal, after={"scores": values})
    return assignment


@transaction.atomic
def proposal_decide(
    *,
    actor: Actor,
    proposal: Proposal,
    decision: str,
    reason: str = "",
    override: bool = False,
) -> Proposal:
    """Record the committee's decision on ``proposal``.

    Every assigned evaluator must have scored it first, unless the committee overrides that
    with a reason. Deferring and not adopting need a reason, which the proposer sees.
    """
    proposal = _locked(proposal)
    permissions.require(actor, DECIDE, proposal.window.unit)
    if decision not in Decision.values:
        raise refuse("decision", _("评审决定须为采纳、部分采纳、暂缓或不予采纳。"))
    if proposal.status not in UNDECIDED:
        raise Conflict(_("该建议已有评审决定。"))
    reason = validation.text_clean("reason", reason, label=_("理由"), limit=500, required=False)
    assignments = list(proposal.assignments.all())
    scored = sum(1 for row in assignments if row.scored_at is not None)
    complete = bool(assignments) and scored == len(assignments)
    if not complete and not (override and reason):
        raise refuse(
            "decision",
            _(
                "评审尚未完成（已评%(scored)s/%(total)s），不能作出决定；"
                "如委员会决定提前作出，请选择“委员会决定”并写明理由。"
            )
            % {"scored": scored, "total": len(assignments)},
        )
    if decision not in ADOPTING and not reason:
        raise refuse("reason", _("暂缓或不予采纳须写明理由，建议人将看到该理由。"))
    previous = proposal.status
    proposal.decision = decision
    proposal.decision_reason = reason
    proposal.decision_overridden = not complete
    proposal.decided_at = timezone.now()
    proposal.status = decision  # the statuses after a decision share the decision's values
    proposal.save()
    event_add(
        proposal,
        EventKind.DECIDED,
        actor=actor,
        note=reason,
        data={"decision": decision, "overridden": not complete},
    )
    audit_record(
        actor=actor,
        action="proposal.decide",
        obj=proposal,
        before={"status": previous},
        after={"decision": decision, "reason": reason, "overridden": not complete},
    )
    return proposal


def decision_total(proposal: Proposal) -> Decimal | None:
    """Return the mean total score of the evaluators who scored ``proposal``."""
    totals = [row.total for row in proposal.assignments.all() if row.total is not None]
    if not totals:
        return None
    return (Decimal(sum(totals)) / len(totals)).quantize(Decimal("0.1"))
