"""Forms of proposals' pages. The services check everything once more; their errors land on
the fields they name."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from xinsheng.core.actors import Actor
from xinsheng.core.forms import ServiceForm, date_input
from xinsheng.core.photos import MAX_BYTES as PHOTO_MAX_BYTES
from xinsheng.org.models import OrgUnit, Person
from xinsheng.org.unit_picker import Picked, UnitPickerField, unit_picked
from xinsheng.proposals import files, services
from xinsheng.proposals.choices import Decision, ProposalStatus
from xinsheng.proposals.models import Window

TEXT = {"rows": 4}
DATE = {"required": _("请填写日期。"), "invalid": _("请输入有效的日期，例如 2026-10-09。")}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files; their number and size are checked here, their content by ``files``."""

    widget = MultipleFileInput

    def __init__(self, *, most: int, max_bytes: int, too_many: Any, too_big: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.most, self.max_bytes = most, max_bytes
        self.too_many, self.too_big = too_many, too_big

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        chosen = [item for item in (data if isinstance(data, list) else [data]) if item]
        if len(chosen) > self.most:
            raise forms.ValidationError(self.too_many)
        if any(item.size is not None and item.size > self.max_bytes for item in chosen):
            raise forms.ValidationError(self.too_big)
        return chosen


def photos_field() -> FilesField:
    return FilesField(
        label=_("照片（可不填，最多6张）"),
        required=False,
        most=files.MAX_PHOTOS,
        max_bytes=PHOTO_MAX_BYTES,
        too_many=_("每条建议最多6张照片。"),
        too_big=_("每张照片不能超过5MB。"),
        widget=MultipleFileInput(attrs={"accept": files.PHOTO_TYPES}),
    )


def documents_field() -> FilesField:
    return FilesField(
        label=_("文件（可不填，最多5个）"),
        required=False,
        help_text=_("PDF、Word、Excel 或 PowerPoint 文件，每个不超过10MB。"),
        most=files.MAX_DOCUMENTS,
        max_bytes=files.MAX_DOCUMENT_BYTES,
        too_many=_("每条建议最多5个文件。"),
        too_big=_("每个文件不能超过10MB。"),
        widget=MultipleFileInput(attrs={"accept": files.DOCUMENT_TYPES}),
    )


class FilesMixin:
    """Reads the chosen photos and documents for ``files.attachments_clean``."""

    cleaned_data: dict[str, Any]

    def photo_bytes(self) -> list[bytes]:
        return [item.read() for item in self.cleaned_data.get("photos") or []]

    def document_files(self) -> list[tuple[str, bytes]]:
        return [
            (str(item.name or ""), item.read()) for item in self.cleaned_data.get("documents") or []
        ]


class ProposalFilterForm(forms.Form):
    q = forms.CharField(label=_("题目或编号"), required=False, max_length=100)
    window = forms.ModelChoiceField(
        label=_("征集活动"), queryset=Window.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *ProposalStatus.choices], required=False
    )
    category = forms.CharField(label=_("类别"), required=False, max_length=20)

    def __init__(self, *args: Any, windows: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if windows is not None:
            self.fields["window"].queryset = windows  # type: ignore[attr-defined]


class ProposalForm(FilesMixin, ServiceForm):
    """What a proposer writes (the public tab, and a recorder entering it for them)."""

    title = forms.CharField(label=_("题目"), max_length=100)
    category = forms.ChoiceField(label=_("类别"), required=False)
    problem = forms.CharField(label=_("存在问题"), widget=forms.Textarea(attrs=TEXT))
    measure = forms.CharField(label=_("建议措施"), widget=forms.Textarea(attrs=TEXT))
    benefit = forms.CharField(
        label=_("预期效益（可不填）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    estimated_savings = forms.CharField(
        label=_("预计创效（元，可不填）"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    photos = photos_field()
    documents = documents_field()
    name = forms.CharField(label=_("姓名"), max_length=50)
    employee_no = forms.CharField(label=_("工号"), max_length=32)
    co_authors = forms.CharField(
        label=_("署名人及份额（可不填）"),
        required=False,
        max_length=500,
        help_text=_("每行一人：工号 份额，如“100234 60”；含本人，合计100。"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    intake_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args: Any, categories: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("请选择"))] + [(name, name) for name in categories or []]
        self.fields["category"].choices = choices  # type: ignore[attr-defined]

    def co_author_rows(self) -> list[dict[str, Any]] | None:
        """Return the co-authors as the service takes them, or None when left empty."""
        rows = []
        for line in str(self.cleaned_data.get("co_authors") or "").splitlines():
            parts = line.replace("，", " ").replace(",", " ").split()
            if parts:
                rows.append({"employee_no": parts[0], "share": parts[1] if len(parts) > 1 else ""})
        return rows or None


class AttachForm(FilesMixin, ServiceForm):
    """Photos and documents staff add on a proposal's page."""

    photos = photos_field()
    documents = documents_field()


class AssignForm(forms.Form):
    evaluators = forms.MultipleChoiceField(
        label=_("评审人"), widget=forms.CheckboxSelectMultiple, required=False
    )


class DecideForm(ServiceForm):
    decision = forms.ChoiceField(label=_("评审决定"), choices=Decision.choices)
    reason = forms.CharField(
        label=_("理由（暂缓或不予采纳时必填，建议人可见）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    override = forms.BooleanField(label=_("委员会决定（评审未完成时，须写明理由）"), required=False)


class ImplementForm(ServiceForm):
    owner_unit_code = forms.CharField(label=_("实施单位代码"), max_length=32)
    due_date = forms.DateField(label=_("完成时限"), widget=date_input())


class ProgressForm(ServiceForm):
    text = forms.CharField(label=_("实施进展"), max_length=500)


class VerifyForm(ServiceForm):
    actual_savings = forms.CharField(
        label=_("实际创效（元）"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class RewardForm(ServiceForm):
    tier = forms.ChoiceField(label=_("奖励等级"))

    def __init__(self, *args: Any, tiers: list[dict[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = [  # type: ignore[attr-defined]
            (row["code"], f"{row['name']}（{row['amount']}元）") for row in tiers or []
        ]


class ReverseForm(ServiceForm):
    reason = forms.CharField(
        label=_("冲销原因"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("请填写冲销原因。"),
            "max_length": _("冲销原因不能超过300个字。"),
        },
    )


class FromCaseForm(ServiceForm):
    case_no = forms.CharField(label=_("建议的诉求编号"), max_length=32)
    window = forms.ModelChoiceField(label=_("征集活动"), queryset=Window.objects.none())
    category = forms.CharField(label=_("类别（可不填）"), required=False, max_length=20)

    def __init__(self, *args: Any, windows: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if windows is not None:
            self.fields["window"].queryset = windows  # type: ignore[attr-defined]


def score_form(criteria: list[dict[str, Any]], data: Any = None, initial: Any = None) -> Any:
    """Return a form with one whole-number field per criterion of the rubric, and a comment."""
    fields: dict[str, forms.Field] = {
        row["code"]: forms.IntegerField(
            label=f"{row['name']}（0–{row['max']}）",
            min_value=0,
            max_value=int(row["max"]),
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            error_messages={
                "required": _("请打分。"),
                "invalid": _("请填写整数。"),
                "min_value": _("不能低于0分。"),
                "max_value": _("不能超过满分。"),
            },
        )
        for row in criteria
    }
    fields["comment"] = forms.CharField(
        label=_("评审意见（可不填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    form_class = type("ScoreForm", (ServiceForm,), fields)
    return form_class(data, initial=initial)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _parts(line: str) -> list[str]:
    return line.replace("，", " ").replace(",", " ").split()


class WindowForm(ServiceForm):
    """A collection window as staff write it: the rubric and the tiers one per line."""

    title = forms.CharField(
        label=_("活动名称"),
        max_length=100,
        error_messages={
            "required": _("请填写活动名称。"),
            "max_length": _("活动名称不能超过100个字。"),
        },
    )
    unit = UnitPickerField(
        label=_("征集范围"),
        error_messages={"required": _("请选择征集范围（单位）。")},
        help_text=_("输入单位名称、代码或路径，从找到的单位中选择；其下属单位均可参加。"),
    )
    opens_on = forms.DateField(label=_("开始日期"), widget=date_input(), error_messages=DATE)
    closes_on = forms.DateField(label=_("截止日期"), widget=date_input(), error_messages=DATE)
    categories = forms.CharField(
        label=_("类别"),
        error_messages={"required": _("请至少设定一个类别。")},
        help_text=_("每行一个，如：安全生产"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=1000,
    )
    criteria = forms.CharField(
        label=_("评审标准"),
        error_messages={"required": _("请至少设定一项评审标准。")},
        help_text=_("每行一项：代码 名称 满分，如：innovation 创新性 30"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    tiers = forms.CharField(
        label=_("奖励等级"),
        error_messages={"required": _("请至少设定一个奖励等级。")},
        help_text=_("每行一个：代码 名称 奖金（元），如：first 一等奖 3000"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    committee = forms.CharField(
        label=_("评审委员会（工号）"),
        help_text=_("委员的工号，每行一个或以空格分隔；可不填。"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    experts = forms.CharField(
        label=_("分类评审专家（可不填）"),
        help_text=_(
            "每行一个类别：类别 工号 工号……，如：安全生产 100234 100235。"
            "该类别的建议默认由这些专家评审，未设专家的类别由评审委员会评审。"
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    notice_days = forms.IntegerField(
        label=_("公示天数"),
        initial=5,
        min_value=1,
        max_value=30,
        error_messages={
            "required": _("请填写公示天数。"),
            "invalid": _("公示天数须为1至30天。"),
            "min_value": _("公示天数须为1至30天。"),
            "max_value": _("公示天数须为1至30天。"),
        },
    )
    note = forms.CharField(
        label=_("说明（可不填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data: Any = None, *, actor: Actor, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.actor = actor

    def clean_unit(self) -> OrgUnit:
        unit = unit_picked(
            actor=self.actor, field=self.fields["unit"], value=self.cleaned_data["unit"]
        )
        if not unit.is_active:
            raise forms.ValidationError(_("该单位已停用，不能开展征集。"))
        return unit

    def clean_categories(self) -> list[str]:
        names = [
            name
            for line in _lines(self.cleaned_data["categories"])
            for name in _parts(line.replace("、", " "))
        ]
        for name in names:
            if len(name) > 20:
                raise forms.ValidationError(
                    _("类别“%(name)s”不能超过20个字。") % {"name": name[:20]}
                )
        if not names:
            raise forms.ValidationError(_("请至少设定一个类别。"))
        return names

    def clean_criteria(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for number, line in enumerate(_lines(self.cleaned_data["criteria"]), start=1):
            parts = _parts(line)
            if len(parts) != 3 or not parts[2].isdigit() or not 1 <= int(parts[2]) <= 100:
                raise forms.ValidationError(
                    _("评审标准第%(n)s行须为“代码 名称 满分”，满分为1至100的整数。") % {"n": number}
                )
            rows.append({"code": parts[0], "name": parts[1], "max": int(parts[2])})
        return rows

    def clean_tiers(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for number, line in enumerate(_lines(self.cleaned_data["tiers"]), start=1):
            parts = _parts(line)
            if len(parts) != 3:
                raise forms.ValidationError(
                    _("奖励等级第%(n)s行须为“代码 名称 奖金（元）”。") % {"n": number}
                )
            rows.append({"code": parts[0], "name": parts[1], "amount": parts[2]})
        return rows

    def clean_committee(self) -> list[Person]:
        numbers = list(dict.fromkeys(_parts(self.cleaned_data["committee"].replace("、", " "))))
        found = {
            person.employee_no: person for person in Person.objects.filter(employee_no__in=numbers)
        }
        unknown = [number for number in numbers if number not in found]
        if unknown:
            raise forms.ValidationError(
                _("找不到工号为“%(no)s”的职工。") % {"no": "、".join(unknown[:5])[:100]}
            )
        return [found[number] for number in numbers]

    def clean_experts(self) -> dict[str, list[Person]]:
        rows: list[tuple[str, list[str]]] = []
        for number, line in enumerate(_lines(self.cleaned_data["experts"]), start=1):
            parts = _parts(line.replace("、", " ").replace("：", " ").replace(":", " "))
            if len(parts) < 2:
                raise forms.ValidationError(
                    _("分类评审专家第%(n)s行须为“类别 工号 工号……”。") % {"n": number}
                )
            rows.append((parts[0], parts[1:]))
        numbers = {no for _category, nos in rows for no in nos}
        found = {
            person.employee_no: person for person in Person.objects.filter(employee_no__in=numbers)
        }
        unknown = sorted(numbers - set(found))
        if unknown:
            raise forms.ValidationError(
                _("找不到工号为“%(no)s”的职工。") % {"no": "、".join(unknown[:5])[:100]}
            )
        experts: dict[str, list[Person]] = {}
        for category, nos in rows:
            experts.setdefault(category, []).extend(found[no] for no in nos)
        return experts

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("截止日期不能早于开始日期。"))
        categories, experts = data.get("categories"), data.get("experts")
        if categories and experts:
            stray = [name for name in experts if name not in categories]
            if stray:
                self.add_error(
                    "experts",
                    _("评审专家的类别“%(name)s”不是本活动设定的类别。") % {"name": stray[0][:20]},
                )
        return data


def window_initial(window: Window) -> dict[str, Any]:
    """Return what the form shows for ``window``, as staff would have typed it."""
    return {
        "title": window.title,
        "unit": Picked(window.unit.name, window.unit.code),
        "opens_on": window.opens_on,
        "closes_on": window.closes_on,
        "categories": "\n".join(window.categories),
        "criteria": "\n".join(
            f"{row['code']} {row['name']} {row['max']}" for row in window.criteria
        ),
        "tiers": "\n".join(f"{row['code']} {row['name']} {row['amount']}" for row in window.tiers),
        "committee": "\n".join(
            window.committee.order_by("employee_no").values_list("employee_no", flat=True)
        ),
        "experts": "\n".join(
            f"{category} {' '.join(numbers)}"
            for category, numbers in services.experts_of(window).items()
        ),
        "notice_days": window.notice_days,
        "note": window.note,
    }
