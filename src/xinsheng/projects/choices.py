"""Choices of the projects app: kinds, states and events of a practical-matter project."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectKind(models.TextChoices):
    IMMEDIATE = "immediate", _("立刻办")  # done at once, within days
    DEADLINE = "deadline", _("限期办")  # done by a promised date
    PHASED = "phased", _("分期办")  # done in stages, often over a year or more


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("未开工")  # set up, no progress yet
    IN_PROGRESS = "in_progress", _("推进中")  # some progress, on time
    DELAYED = "delayed", _("已延期")  # past its due date and not done (set by the sweep)
    DONE = "done", _("已销号")  # finished; linked voices received the answer
    CANCELLED = "cancelled", _("已取消")  # dropped, with a reason that is shown


# States in which a project still runs and counts towards "not yet done".
RUNNING = frozenset({ProjectStatus.PLANNED, ProjectStatus.IN_PROGRESS, ProjectStatus.DELAYED})
# States in which nothing may change any more.
FINISHED = frozenset({ProjectStatus.DONE, ProjectStatus.CANCELLED})


class ProjectEventKind(models.TextChoices):
    CREATED = "created", _("立项")
    EDITED = "edited", _("修改")
    MILESTONE_ADDED = "milestone_added", _("新增节点")
    MILESTONE_DONE = "milestone_done", _("节点完成")
    PROGRESS = "progress", _("更新进度")
    LINKED = "linked", _("关联诉求")
    UNLINKED = "unlinked", _("取消关联")
    PHOTO = "photo", _("上传照片")
    DELAYED = "delayed", _("延期")
    DONE = "done", _("销号")
    CANCELLED = "cancelled", _("取消")
    RATED = "rated", _("群众评价")


class LinkOutcome(models.TextChoices):
    PENDING = "pending", _("待答复")  # linked; the project is not done yet
    ANSWERED = "answered", _("已答复")  # received the project's answer; the submitter may rate it
    SKIPPED = "skipped", _("未答复")  # could not receive it (closed, merged, rejected, answered)
