"""Forms of the staff project pages. The services check everything again; their
``InvalidInput`` lands on the form (``ServiceForm``)."""

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.core.forms import ServiceForm
from xinsheng.org import selectors as org_selectors
from xinsheng.org.models import OrgUnit
from xinsheng.projects import selectors, validation
from xinsheng.projects.choices import ProjectKind, ProjectStatus
from xinsheng.projects.models import CommitmentBody, Project
from xinsheng.projects.selectors import ProjectFilters
from xinsheng.projects.services import ProjectData

QUERY_MAX = 100
LINK_MAX = 200  # case numbers linked in one go


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _unit(actor: Actor, code: str) -> OrgUnit:
    try:
        return org_selectors.unit_get_for(actor=actor, code=code)
    except NotFound:
        raise forms.ValidationError(
            _("找不到单位代码“%(code)s”，或该单位不在您的查看范围内。") % {"code": code}
        ) from None


class ProjectFilterForm(forms.Form):
    """What the project list is narrowed by; every field optional, all in the URL."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=QUERY_MAX)
    unit = forms.CharField(label=_("单位代码（含下级单位）"), required=False, max_length=QUERY_MAX)
    status = forms.MultipleChoiceField(
        label=_("状态"),
        required=False,
        choices=ProjectStatus.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(
        label=_("办理方式"), required=False, choices=[("", _("全部")), *ProjectKind.choices]
    )
    body = forms.ModelChoiceField(
        label=_("承诺对象"),
        required=False,
        queryset=CommitmentBody.objects.none(),
        empty_label=_("全部"),
    )
    overdue = forms.BooleanField(label=_("只看已超期"), required=False)

    def __init__(self, data: Any = None, *, actor: Actor) -> None:
        super().__init__(data)
        self.actor = actor
        self.fields["body"].queryset = selectors.commitment_bodies_for(actor=actor)  # type: ignore[attr-defined]

    def clean_unit(self) -> OrgUnit | None:
        code = str(self.cleaned_data["unit"]).strip()
        return _unit(self.actor, code) if code else None

    def filters(self) -> ProjectFilters:
        """Return the filters of a valid form, for ``project_list_for``."""
        data = self.cleaned_data
        return ProjectFilters(
            unit=data.get("unit"),
            statuses=list(data.get("status") or []),
            kind=data.get("kind") or "",
            body=data.get("body"),
            overdue=bool(data.get("overdue")),
            text=str(data.get("q") or ""),
        )


class ProjectForm(ServiceForm):
    """Set up or change a project."""

    title = forms.CharField(label=_("项目名称"), max_length=validation.TITLE_MAX)
    description = forms.CharField(
        label=_("项目内容"),
        required=False,
        max_length=validation.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    unit = forms.CharField(label=_("责任单位（单位代码）"), max_length=QUERY_MAX)
    leader_name = forms.CharField(
        label=_("责任领导"), required=False, max_length=validation.NAME_MAX
    )
    manager_name = forms.CharField(
        label=_("责任人"),
        required=False,
        max_length=validation.NAME_MAX,
        help_text=_("仅内部可见，不在公示中显示。"),
    )
    kind = forms.ChoiceField(label=_("办理方式"), choices=ProjectKind.choices)
    due_date = forms.DateField(label=_("完成时限"), widget=_date_input())
    budget = forms.DecimalField(
        label=_("预算（元）"), required=False, max_digits=14, decimal_places=2, min_value=0
    )
    parent = forms.ModelChoiceField(
        label=_("上级项目"),
        required=False,
        queryset=Project.objects.none(),
        empty_label=_("无（独立项目）"),
        help_text=_("子项目的进度按权重计入上级项目。"),
    )
    weight = forms.IntegerField(label=_("权重"), min_value=1, max_value=100, initial=1)
    is_public = forms.BooleanField(label=_("在公示栏公开"), required=False, initial=True)
    commitment_body = forms.ModelChoiceField(
        label=_("承诺对象"),
        required=False,
        queryset=CommitmentBody.objects.none(),
        empty_label=_("无"),
        help_text=_("如职代会承诺的十件实事。"),
    )
    commitment_no = forms.IntegerField(
        label=_("承诺序号"), required=False, min_value=1, max_value=999
    )

    def __init__(self, data: Any = None, *, actor: Actor, project: Project | None = None) -> None:
        initial = _initial(project) if project is not None and data is None else None
        super().__init__(data, initial=initial)
        self.actor = actor
        parents = selectors.project_parent_choices_for(actor=actor)
        if project is not None:
            parents = parents.exclude(pk=project.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["commitment_body"].queryset = selectors.commitment_bodies_for(actor=actor)  # type: ignore[attr-defined]

    def clean_unit(self) -> OrgUnit:
        return _unit(self.actor, str(self.cleaned_data["unit"]).strip())

    def project_data(self) -> ProjectData:
        """Return what a valid form says, for the services."""
        data = self.cleaned_data
        return ProjectData(
            title=data["title"],
            owner_unit=data["unit"],
            due_date=data["due_date"],
            kind=data["kind"],
            description=data["description"],
            leader_name=data["leader_name"],
            manager_name=data["manager_name"],
            budget=data["budget"],
            parent=data["parent"],
            weight=data["weight"],
            is_public=data["is_public"],
            commitment_body=data["commitment_body"],
            commitment_no=data["commitment_no"],
        )


def _initial(project: Project) -> dict[str, Any]:
    return {
        "title": project.title,
        "description": project.description,
        "unit": project.owner_unit.code,
        "leader_name": project.leader_name,
        "manager_name": project.manager_name,
        "kind": project.kind,
        "due_date": project.due_date,
        "budget": project.budget,
        "parent": project.parent_id,
        "weight": project.weight,
        "is_public": project.is_public,
        "commitment_body": project.commitment_body_id,
        "commitment_no": project.commitment_no,
    }


class MilestoneForm(ServiceForm):
    """A new step of a project."""

    title = forms.CharField(label=_("节点名称"), max_length=validation.TITLE_MAX)
    due_date = forms.DateField(label=_("计划完成日期"), widget=_date_input())
    weight = forms.IntegerField(label=_("权重"), min_value=1, max_value=100, initial=1)


class ProgressForm(ServiceForm):
    """The progress of a project without milestones, entered by hand."""

    progress = forms.IntegerField(label=_("进度（%）"), min_value=0, max_value=100)
    note = forms.CharField(label=_("进展说明"), required=False, max_length=validation.REASON_MAX)


class LinkForm(ServiceForm):
    """Case numbers to link, one or many, separated by spaces, commas or lines."""

    case_nos = forms.CharField(
        label=_("诉求编号"),
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("如 2026-000123，多个用空格或逗号分隔")}
        ),
        max_length=LINK_MAX * 20,
    )

    def clean_case_nos(self) -> list[str]:
        numbers = [n for n in re.split(r"[\s,，、;；]+", str(self.cleaned_data["case_nos"])) if n]
        if not numbers:
            raise forms.ValidationError(_("请填写诉求编号。"))
        if len(numbers) > LINK_MAX:
            raise forms.ValidationError(_("一次最多关联200条诉求。"))
        return list(dict.fromkeys(numbers))


class CompleteForm(ServiceForm):
    """The result of a finished project; every linked voice receives it as its answer."""

    answer = forms.CharField(
        label=_("办理结果（将答复所有关联诉求）"),
        max_length=validation.ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CancelForm(ServiceForm):
    """Why a project is dropped."""

    reason = forms.CharField(label=_("取消原因"), max_length=validation.REASON_MAX)


class PhotoForm(ServiceForm):
    """A photo of the result."""

    photo = forms.FileField(label=_("成果照片"))


class CommitmentBodyForm(ServiceForm):
    """A body projects are promised to."""

    name = forms.CharField(label=_("承诺对象名称"), max_length=100, help_text=_("如：2026年职代会"))
    unit = forms.CharField(label=_("所属单位（单位代码）"), max_length=QUERY_MAX)
    held_on = forms.DateField(label=_("会议日期"), required=False, widget=_date_input())

    def __init__(self, data: Any = None, *, actor: Actor) -> None:
        super().__init__(data)
        self.actor = actor

    def clean_unit(self) -> OrgUnit:
        return _unit(self.actor, str(self.cleaned_data["unit"]).strip())


class ReportForm(forms.Form):
    """Which month and subtree the progress report covers."""

    month = forms.CharField(
        label=_("月份"), required=False, widget=forms.TextInput(attrs={"type": "month"})
    )
    unit = forms.CharField(label=_("单位代码（含下级单位）"), required=False, max_length=QUERY_MAX)

    def __init__(self, data: Any = None, *, actor: Actor) -> None:
        super().__init__(data)
        self.actor = actor

    def clean_month(self) -> dt.date:
        text = str(self.cleaned_data["month"]).strip()
        if not text:
            return timezone.localdate().replace(day=1)
        try:
            return dt.date.fromisoformat(f"{text}-01")
        except ValueError:
            raise forms.ValidationError(_("月份格式应为YYYY-MM。")) from None

    def clean_unit(self) -> OrgUnit | None:
        code = str(self.cleaned_data["unit"]).strip()
        return _unit(self.actor, code) if code else None
