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
    UNION = "union", _("工会帮扶干事")  # runs assistance programmes, approves and pays
    PRIVACY = "privacy", _("敏感信息查阅人")  # may read health, belief and children's data


class CadreRank(models.TextChoices):
    """A cadre's rank, as the talk rules use it (blank for employees who are not cadres)."""

    MINE_LEADER = "mine_leader", _("矿领导")  # leader of a mine or above
    SECTION = "section", _("科级")  # head of a department or work area
    DEPUTY_SECTION = "deputy_section", _("副科级")  # deputy head
    MANAGER = "manager", _("一般管理人员")  # other management staff


class PersonGroup(models.TextChoices):
    """Groups a person may belong to, named by the talk rules (a person can be in several)."""

    PARTY_MEMBER = "party_member", _("党员")
    TECHNICAL_TALENT = "technical_talent", _("技术技能人才")
    TEAM_LEADER = "team_leader", _("班组长")
    BACKBONE = "backbone", _("业务骨干")
    MANAGER = "manager", _("管理人员")
