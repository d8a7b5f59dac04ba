"""Choices of the org app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    GROUP = "group", _("集团")  # the whole enterprise, root of the tree
    COMPANY = "company", _("公司")  # a subsidiary company
    MINE = "mine", _("矿/厂")  # a mine or plant
    DEPARTMENT = "department", _("部门/科室")  # an office at any level
    AREA = "area", _("区队")  # a production work area of a mine
    BRANCH = "branch", _("党支部")  # a party branch
    TEAM = "team", _("班组")  # the smallest unit, under an area
    OTHER = "other", _("其他")


class Role(models.TextChoices):
    RECORDER = "recorder", _("记录员")  # keeps the branch notebook of voices heard
    DISPATCHER = "dispatcher", _("受理派单员")  # accepts, classifies and dispatches cases
    HANDLER = "handler", _("承办人")  # acts on and answers a unit's cases
    UNIT_HEAD = "unit_head", _("单位负责人")  # answers for a unit's cases
    SUPERVISOR = "supervisor", _("督导员")  # watches overdue and unsatisfied cases
    LEADER = "leader", _("领导")  # reads dashboards and reports
    ADMINISTRATOR = "administrator", _("管理员")  # configures units, people and roles
