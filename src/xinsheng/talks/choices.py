"""Choices of the talks app: kinds of record, places, directions and the states of each step."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TalkKind(models.TextChoices):
    TALK = "talk", _("谈心")  # a heart-to-heart talk with one or more people
    VISIT = "visit", _("走访")  # a visit to a workplace: a team, a face, a canteen
    HOME_VISIT = "home_visit", _("家访")  # a visit to an employee's household


class Place(models.TextChoices):
    OFFICE = "office", _("办公室")
    UNDERGROUND = "underground", _("井下/工作面")
    WORKSHOP = "workshop", _("车间")
    CANTEEN = "canteen", _("食堂")
    DORMITORY = "dormitory", _("宿舍")
    HOME = "home", _("家中")
    OTHER = "other", _("其他")


class Direction(models.TextChoices):
    INITIATED = "initiated", _("主动约谈")  # the host asked for the talk
    REQUESTED = "requested", _("接受约谈")  # the employee asked for it (a talk request)


class PairStatus(models.TextChoices):
    PLANNED = "planned", _("待谈")
    HELD = "held", _("已谈")
    WAIVED = "waived", _("免谈")  # not needed, with a reason (on leave, left, talked elsewhere)
    RETIRED = "retired", _("已撤销")  # no longer implied by the rules after people moved


class RuleReach(models.TextChoices):
    """Whom a tier rule's hosts talk with, seen from the host."""

    UNITS_BELOW = "units_below", _("所辖部门区队")  # people of the units below the host's unit
    UNITS_IN_CHARGE = "units_in_charge", _("分管单位")  # people of the units the host leads
    OWN_UNIT = "own_unit", _("本单位")  # people of the host's own unit


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("已申请")
    SCHEDULED = "scheduled", _("已安排")
    HELD = "held", _("已约谈")
    DECLINED = "declined", _("未安排")  # with a reason the employee sees


class RequestChannel(models.TextChoices):
    PUBLIC = "public", _("扫码申请")  # the employee asked on the unit's public page
    RECORDER = "recorder", _("代为登记")  # a recorder wrote down a request heard in person
    API = "api", _("接口")


class MeetingKind(models.TextChoices):
    LIFE_MEETING = "life_meeting", _("专题组织生活会")
    FORUM = "forum", _("党员恳谈会")
    LECTURE = "lecture", _("宣讲/面对面")
