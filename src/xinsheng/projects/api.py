"""API endpoints of projects; ``v1_urls`` is included under /api/v1/.

They read through the selectors and write through the services, like the pages: a project out of
the caller's scope answers 404 exactly like a missing one, a write the caller may not make 403,
a write the project's state does not allow 409, and bad input 400 with the fields.
"""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.fields import EnumField
from xinsheng.api.schema import error_responses
from xinsheng.cases import selectors as case_selectors
from xinsheng.core.actors import Actor
from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.org import selectors as org_selectors
from xinsheng.org.api import UnitRefSerializer
from xinsheng.org.models import OrgUnit
from xinsheng.projects import selectors, services
from xinsheng.projects.choices import LinkOutcome, ProjectKind, ProjectStatus
from xinsheng.projects.models import Milestone, Project
from xinsheng.projects.selectors import ProjectFilters

TAGS = ["projects"]
PROJECT_ID = OpenApiParameter(
    "project_id", int, OpenApiParameter.PATH, description=_("项目编号（id）")
)


# --- Bodies ---------------------------------------------------------------------------------------


class MilestoneSerializer(serializers.Serializer[Milestone]):
    """A step of a project; done when ``done_at`` is set."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    due_date = serializers.DateField()
    weight = serializers.IntegerField()
    done_at = serializers.DateTimeField(allow_null=True)


class ProjectSerializer(serializers.Serializer[Any]):
    """A project with its progress (derived from milestones and sub-projects by weight)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    owner_unit = UnitRefSerializer()
    leader_name = serializers.CharField(help_text=_("责任领导"))
    manager_name = serializers.CharField(help_text=_("责任人"))
    kind = EnumField(ProjectKind)
    kind_label = serializers.CharField(source="get_kind_display")
    due_date = serializers.DateField()
    budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text=_("预算（元）")
    )
    parent_id = serializers.IntegerField(allow_null=True, help_text=_("上级项目编号"))
    weight = serializers.IntegerField()
    status = EnumField(ProjectStatus)
    status_label = serializers.CharField(source="get_status_display")
    cancel_reason = serializers.CharField()
    progress = serializers.IntegerField(help_text=_("进度（%）"))
    answer = serializers.CharField(help_text=_("办理结果；销号时答复所有关联诉求。"))
    done_at = serializers.DateTimeField(allow_null=True)
    is_public = serializers.BooleanField()
    commitment = serializers.CharField(
        source="commitment_body.name", allow_null=True, help_text=_("承诺对象，如2026年职代会")
    )
    commitment_no = serializers.IntegerField(allow_null=True)
    milestones = MilestoneSerializer(many=True, source="milestones.all")


class LinkSerializer(serializers.Serializer[Any]):
    """A case linked to a project, and whether it received the project's answer."""

    case_no = serializers.CharField(source="case.case_no")
    case_status = serializers.CharField(source="case.status")
    linked_at = serializers.DateTimeField()
    outcome = EnumField(LinkOutcome)
    outcome_note = serializers.CharField()


class ProjectCreateSerializer(serializers.Serializer[Any]):
    """What a new project needs; the rest can be added later."""

    title = serializers.CharField(max_length=100)
    owner_unit_code = serializers.CharField(max_length=32, help_text=_("责任单位代码"))
    due_date = serializers.DateField(help_text=_("完成时限（YYYY-MM-DD）"))
    kind = EnumField(ProjectKind, required=False, default=ProjectKind.DEADLINE)
    description = serializers.CharField(required=False, default="", allow_blank=True)
    leader_name = serializers.CharField(required=False, default="", allow_blank=True)
    manager_name = serializers.CharField(required=False, default="", allow_blank=True)
    budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    parent_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    weight = serializers.IntegerField(required=False, default=1, min_value=1, max_value=100)
    is_public = serializers.BooleanField(required=False, default=True)


class LinkBodySerializer(serializers.Serializer[Any]):
    case_no = serializers.CharField(max_length=32, help_text=_("诉求编号"))


class CompleteBodySerializer(serializers.Serializer[Any]):
    answer = serializers.CharField(help_text=_("办理结果，作为答复发给所有关联诉求的提出人。"))


class CompletionSerializer(serializers.Serializer[Any]):
    """The finished project and what became of its linked cases."""

    project = ProjectSerializer()
    answered = serializers.ListField(
        child=serializers.CharField(), help_text=_("已收到答复的诉求编号")
    )
    skipped = serializers.ListField(
        child=serializers.DictField(), help_text=_("未能答复的诉求：case_no 与原因 reason")
    )


class MilestoneBodySerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=100)
    due_date = serializers.DateField()
    weight = serializers.IntegerField(required=False, default=1, min_value=1, max_value=100)


class ProgressBodySerializer(serializers.Serializer[Any]):
    progress = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField(required=False, default="", allow_blank=True)


# --- Helpers --------------------------------------------------------------------------------------


def _unit(actor: Actor, code: str, field: str) -> OrgUnit:
    try:
        return org_selectors.unit_get_for(actor=actor, code=code)
    except NotFound:
        message = gettext("找不到该单位，或它不在您的范围内。")
        raise InvalidInput(message, fields={field: [message]}) from None


def _project_data(project: Project) -> dict[str, Any]:
    return dict(ProjectSerializer(project).data)


def _renamed(error: InvalidInput) -> InvalidInput:
    names = {"owner_unit": "owner_unit_code", "parent": "parent_id"}
    fields = {names.get(name, name): messages for name, messages in error.fields.items()}
    return InvalidInput(error.message, code=error.code, fields=fields)


def _get(request: Request, project_id: int) -> Project:
    return selectors.project_get_for(actor=request.user, project_id=project_id)


class ProjectApiView(APIView):
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser, FormParser]


# --- Views ----------------------------------------------------------------------------------------


class ProjectListView(ProjectApiView):
    """The projects in the caller's scope; a new project."""

    @extend_schema(
        operation_id="projects_list",
        summary=_("实事项目清单"),
        description=_("返回您范围内的项目，按完成时限排序。"),
        parameters=[
            OpenApiParameter(
                "unit",
                str,
                description=_("单位代码：责任单位在该单位及其下级中；不在您的范围内时返回 404。"),
            ),
            OpenApiParameter("status", str, enum=list(ProjectStatus.values)),
            OpenApiParameter("kind", str, enum=list(ProjectKind.values)),
        ],
        responses={200: ProjectSerializer(many=True), **error_responses(400, 401, 404)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        unit = None
        if code := params.get("unit", "").strip():
            unit = org_selectors.unit_get_for(actor=request.user, code=code)
        filters = ProjectFilters(
            unit=unit,
            statuses=[s for s in params.getlist("status") if s in ProjectStatus.values],
            kind=params.get("kind", "") if params.get("kind") in ProjectKind.values else "",
        )
        projects = selectors.project_list_for(actor=request.user, filters=filters)
        data = ProjectSerializer(projects.prefetch_related("milestones"), many=True).data
        return Response(data)

    @extend_schema(
        operation_id="projects_create",
        summary=_("设立项目"),
        description=_("在责任单位下设立项目；需要该单位的项目管理权限。"),
        request=ProjectCreateSerializer,
        responses={201: ProjectSerializer, **error_responses(400, 401, 403)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        actor = request.user
        body = ProjectCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        parent = None
        if data["parent_id"] is not None:
            try:
                parent = _get(request, data["parent_id"])
            except NotFound:
                message = gettext("上级项目无效。")
                raise InvalidInput(message, fields={"parent_id": [message]}) from None
        project_data = services.ProjectData(
            title=data["title"],
            owner_unit=_unit(actor, data["owner_unit_code"], "owner_unit_code"),
            due_date=data["due_date"],
            kind=data["kind"],
            description=data["description"],
            leader_name=data["leader_name"],
            manager_name=data["manager_name"],
            budget=data["budget"],
            parent=parent,
            weight=data["weight"],
            is_public=data["is_public"],
        )
        try:
            project = services.project_create(actor=actor, data=project_data)
        except InvalidInput as error:
            raise _renamed(error) from None
        return Response(_project_data(_get(request, project.pk)), status=status.HTTP_201_CREATED)


class ProjectDetailView(ProjectApiView):
    """One project in the caller's scope."""

    @extend_schema(
        operation_id="projects_retrieve",
        summary=_("项目详情"),
        parameters=[PROJECT_ID],
        responses={200: ProjectSerializer, **error_responses(401, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, project_id: int) -> Response:
        return Response(_project_data(_get(request, project_id)))


class ProjectLinksView(ProjectApiView):
    """The cases linked to a project; link one more."""

    @extend_schema(
        operation_id="projects_links_list",
        summary=_("关联诉求"),
        parameters=[PROJECT_ID],
        responses={200: LinkSerializer(many=True), **error_responses(401, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, project_id: int) -> Response:
        project = _get(request, project_id)
        links = selectors.project_links_for(actor=request.user, project=project)
        return Response(LinkSerializer(links, many=True).data)

    @extend_schema(
        operation_id="projects_links_create",
        summary=_("关联诉求"),
        description=_("把一条诉求关联到项目；项目销号时它将收到项目的办理结果作为答复。"),
        parameters=[PROJECT_ID],
        request=LinkBodySerializer,
        responses={
            201: LinkSerializer,
            200: LinkSerializer,
            **error_responses(400, 401, 403, 404),
        },
        tags=TAGS,
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = _get(request, project_id)
        body = LinkBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            case = case_selectors.case_get_for(
                actor=request.user, case_no=body.validated_data["case_no"]
            )
        except NotFound:
            message = gettext("找不到该诉求，或它不在您的范围内。")
            raise InvalidInput(message, fields={"case_no": [message]}) from None
        created = services.project_link_cases(actor=request.user, project=project, cases=[case])
        link = project.links.select_related("case").get(case=case)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(LinkSerializer(link).data, status=code)


class ProjectLinkView(ProjectApiView):
    """One linked case."""

    @extend_schema(
        operation_id="projects_links_destroy",
        summary=_("取消关联"),
        description=_("取消尚未收到项目答复的关联。"),
        parameters=[PROJECT_ID, OpenApiParameter("case_no", str, OpenApiParameter.PATH)],
        responses={204: None, **error_responses(401, 403, 404)},
        tags=TAGS,
    )
    def delete(self, request: Request, project_id: int, case_no: str) -> Response:
        project = _get(request, project_id)
        case = case_selectors.case_get_for(actor=request.user, case_no=case_no)
        services.project_unlink_case(actor=request.user, project=project, case=case)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProjectCompleteView(ProjectApiView):
    """Finish a project (销号)."""

    @extend_schema(
        operation_id="projects_complete",
        summary=_("销号"),
        description=_(
            "项目销号，办理结果作为答复发给每条关联诉求，其提出人随后可以评价；"
            "不能答复的诉求（已办结、已合并、不予受理、已答复待评价）列在 skipped 中。"
        ),
        parameters=[PROJECT_ID],
        request=CompleteBodySerializer,
        responses={200: CompletionSerializer, **error_responses(400, 401, 403, 404)},
        tags=TAGS,
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = _get(request, project_id)
        body = CompleteBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = services.project_complete(
            actor=request.user, project=project, answer=body.validated_data["answer"]
        )
        return Response(
            {
                "project": _project_data(_get(request, project_id)),
                "answered": done.answered,
                "skipped": [{"case_no": no, "reason": why} for no, why in done.skipped],
            }
        )


class MilestoneListView(ProjectApiView):
    """The milestones of a project; add one."""

    @extend_schema(
        operation_id="projects_milestones_create",
        summary=_("新增节点"),
        parameters=[PROJECT_ID],
        request=MilestoneBodySerializer,
        responses={201: ProjectSerializer, **error_responses(400, 401, 403, 404)},
        tags=TAGS,
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = _get(request, project_id)
        body = MilestoneBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.milestone_add(actor=request.user, project=project, **body.validated_data)
        return Response(_project_data(_get(request, project_id)), status=status.HTTP_201_CREATED)


class MilestoneDoneView(ProjectApiView):
    """Mark a milestone done."""

    @extend_schema(
        operation_id="projects_milestones_done",
        summary=_("节点完成"),
        parameters=[PROJECT_ID, OpenApiParameter("milestone_id", int, OpenApiParameter.PATH)],
        request=None,
        responses={200: ProjectSerializer, **error_responses(401, 403, 404)},
        tags=TAGS,
    )
    def post(self, request: Request, project_id: int, milestone_id: int) -> Response:
        project = _get(request, project_id)
        milestone = selectors.milestone_get_for(
            actor=request.user, project=project, milestone_id=milestone_id
        )
        services.milestone_done(actor=request.user, milestone=milestone)
        return Response(_project_data(_get(request, project_id)))


class ProgressView(ProjectApiView):
    """Enter the progress of a project without milestones."""

    @extend_schema(
        operation_id="projects_progress",
        summary=_("更新进度"),
        description=_("没有节点和子项目的项目直接填报进度；否则进度由节点计算（409）。"),
        parameters=[PROJECT_ID],
        request=ProgressBodySerializer,
        responses={200: ProjectSerializer, **error_responses(400, 401, 403, 404)},
        tags=TAGS,
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = _get(request, project_id)
        body = ProgressBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.project_progress_set(actor=request.user, project=project, **body.validated_data)
        return Response(_project_data(_get(request, project_id)))


v1_urls: list[URLPattern | URLResolver] = [
    path("projects", ProjectListView.as_view(), name="api-projects"),
    path("projects/<int:project_id>", ProjectDetailView.as_view(), name="api-project"),
    path("projects/<int:project_id>/links", ProjectLinksView.as_view(), name="api-project-links"),
    path(
        "projects/<int:project_id>/links/<str:case_no>",
        ProjectLinkView.as_view(),
        name="api-project-link",
    ),
    path(
        "projects/<int:project_id>/complete",
        ProjectCompleteView.as_view(),
        name="api-project-complete",
    ),
    path(
        "projects/<int:project_id>/milestones",
        MilestoneListView.as_view(),
        name="api-project-milestones",
    ),
    path(
        "projects/<int:project_id>/milestones/<int:milestone_id>/done",
        MilestoneDoneView.as_view(),
        name="api-project-milestone-done",
    ),
    path("projects/<int:project_id>/progress", ProgressView.as_view(), name="api-project-progress"),
]
