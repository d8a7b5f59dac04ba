"""Test helpers of talk records: the people of the ``tree`` fixture who talk and are talked with."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from tests.conftest import Tree
from tests.org.factories import PersonFactory, make_staff
from xinsheng.org.choices import Role
from xinsheng.org.models import Person
from xinsheng.talks.records import services
from xinsheng.talks.records.checks import TalkInput, VoiceInput


@dataclass
class Talkers:
    """Who records, reads and is talked with in the ``tree`` fixture."""

    recorder: User  # 记录员 at area A1
    head: User  # 单位负责人 at area A1: may read sensitive notes
    dispatcher: User  # 受理派单员 at company C1: may import
    stranger: User  # 记录员 at mine M2, another company
    miner: Person  # 王强, team T1 under A1
    miner2: Person  # 李刚, team T1
    far: Person  # 赵六, mine M2: outside A1's scope


def make_talkers(tree: Tree) -> Talkers:
    return Talkers(
        recorder=make_staff(tree.area1, Role.RECORDER, username="recorder"),
        head=make_staff(tree.area1, Role.UNIT_HEAD, username="head"),
        dispatcher=make_staff(tree.company1, Role.DISPATCHER, username="dispatcher"),
        stranger=make_staff(tree.mine2, Role.RECORDER, username="stranger"),
        miner=PersonFactory(unit=tree.team1, employee_no="W001", name="王强"),
        miner2=PersonFactory(unit=tree.team1, employee_no="W002", name="李刚"),
        far=PersonFactory(unit=tree.mine2, employee_no="F001", name="赵六"),
    )


def talk_input(tree: Tree, **fields: Any) -> TalkInput:
    """Return a good talk at area A1 with 王强 yesterday, changed by ``fields``."""
    values: dict[str, Any] = {
        "kind": "talk",
        "unit": tree.area1,
        "held_on": timezone.localdate() - dt.timedelta(days=1),
        "person_employee_nos": ["W001"],
        "place": "office",
        "summary": "谈了轮休安排，情绪稳定。",
    }
    values.update(fields)
    return TalkInput(**values)


def voice(text: str = "井下三号工作面通风不好，希望尽快检修。", **fields: Any) -> VoiceInput:
    return VoiceInput(text=text, **fields)


def record(tree: Tree, actor: User, **fields: Any) -> services.Recorded:
    """Write a talk through the service, as ``actor``."""
    return services.talk_record_create(actor=actor, data=talk_input(tree, **fields))
