"""Check what is typed into a talk record, field by field, before anything is written.

Every problem of a record is collected and raised at once as ``InvalidInput`` whose ``fields``
name each field with a Chinese message (``kind``, ``unit``, ``held_on``, ``hosts``, ``people``,
``place``, ``place_note``, ``direction``, ``summary``, ``tags``, ``sensitive_note``,
``voices``), so that a form, the API and the import can each show them where they belong.
People are named by employee number and must be within the actor's scope (``person.view``);
one who does not exist and one the actor may not see get the same message.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.cases.choices import CaseKind
from xinsheng.cases.validation import TEXT_MAX, TEXT_MIN
from xinsheng.core.actors import Actor
from xinsheng.core.errors import InvalidInput
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit, Person
from xinsheng.talks.choices import Direction, Place, TalkKind
from xinsheng.talks.records import vocabulary as words


@dataclass(frozen=True)
class VoiceInput:
    """A voice raised in the talk, to become a case."""

    text: str
    kind: str = CaseKind.DEMAND
    anonymous: bool = False
    employee_no: str = ""  # who raised it, among the people talked with; the first when empty


@dataclass
class TalkInput:
    """What is typed into a talk record, as the pages, the API and the import pass it on."""

    kind: str
    unit: OrgUnit | None
    held_on: dt.date | None
    person_employee_nos: list[str]
    host_employee_nos: list[str] = field(default_factory=list)  # empty: the actor's own person
    place: str = ""
    place_note: str = ""
    direction: str = Direction.INITIATED
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    sensitive_note: str = ""
    voices: list[VoiceInput] = field(default_factory=list)


@dataclass(frozen=True)
class CheckedVoice:
    """A voice checked: its kind, its text, and the person who is named as raising it."""

    kind: str
    text: str
    person: Person | None  # None: anonymous


@dataclass(frozen=True)
class CheckedTalk:
    """A talk record checked and ready to write."""

    kind: str
    unit: OrgUnit
    held_on: dt.date
    hosts: list[Person]
    people: list[Person]
    place: str
    place_note: str
    direction: str
    summary: str
    tags: list[str]
    sensitive_note: str
    voices: list[CheckedVoice]


class PeopleFinder:
    """Find people by employee number within what ``actor`` may see, remembering the answers
    (an import asks about the same hosts row after row)."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.known: dict[str, Person | None] = {}

    def find(self, numbers: Iterable[str]) -> dict[str, Person | None]:
        """Return each number's person, or None when unknown or out of the actor's scope."""
        wanted = [number for number in numbers if number not in self.known]
        if wanted:
            found = permissions.in_scope(
                Person.objects.filter(employee_no__in=wanted).select_related("unit"),
                self.actor,
                "person.view",
            )
            by_number = {person.employee_no: person for person in found}
            for number in wanted:
                self.known[number] = by_number.get(number)
        return {number: self.known[number] for number in numbers}


def own_person(actor: Actor) -> Person | None:
    """Return the person of ``actor``'s account, if it has one."""
    if not actor.is_authenticated:
        return None
    return Person.objects.select_related("unit").filter(user_id=actor.pk).first()


class _Problems:
    """The messages found so far, by field."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)

    def raise_any(self) -> None:
        if self.fields:
            first = next(iter(self.fields.values()))[0]
            raise InvalidInput(first, fields=self.fields)


def _people(
    numbers: list[str], finder: PeopleFinder, problems: _Problems, name: str, limit: int
) -> list[Person]:
    if len(numbers) > limit:
        problems.add(name, _("一条记录最多填写%(limit)d人。") % {"limit": limit})
        return []
    found = finder.find(numbers)
    people = []
    for number in numbers:
        person = found[number]
        if person is None:
            problems.add(
                name,
                _("找不到工号为“%(no)s”的人员，或该人员不在您的管理范围内。") % {"no": number},
            )
        else:
            people.append(person)
    return people


def _hosts(
    data: TalkInput, actor: Actor, finder: PeopleFinder, problems: _Problems
) -> list[Person]:
    numbers = words.split_words(data.host_employee_nos)
    if numbers:
        return _people(numbers, finder, problems, "hosts", words.HOSTS_MAX)
    person = own_person(actor)
    if person is None:
        problems.add("hosts", _("请填写谈话人的工号（您的账号没有对应的人员）。"))
        return []
    return [person]


def _date(held_on: dt.date | None, problems: _Problems) -> dt.date:
    today = timezone.localdate()
    if held_on is None:
        problems.add("held_on", _("请填写谈话日期。"))
        return today
    if held_on > today:
        problems.add("held_on", _("谈话日期不能晚于今天。"))
    return held_on


def _text(value: str, name: str, limit: int, problems: _Problems) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        problems.add(name, _("不能超过%(limit)d字。") % {"limit": limit})
    return text


def _tags(values: list[str], problems: _Problems) -> list[str]:
    tags = words.split_words(values)
    if len(tags) > words.TAGS_MAX:
        problems.add("tags", _("标签最多%(limit)d个。") % {"limit": words.TAGS_MAX})
    for tag in tags:
        if len(tag) > words.TAG_MAX:
            problems.add(
                "tags",
                _("标签“%(tag)s”太长（最多%(limit)d字）。") % {"tag": tag, "limit": words.TAG_MAX},
            )
    return tags


def _voices(
    voices: list[VoiceInput], people: list[Person], problems: _Problems
) -> list[CheckedVoice]:
    if len(voices) > words.VOICES_MAX:
        problems.add("voices", _("一条记录最多%(limit)d条诉求。") % {"limit": words.VOICES_MAX})
        return []
    by_number = {person.employee_no: person for person in people}
    checked = []
    for number, voice in enumerate(voices, start=1):
        where = _("第%(n)d条诉求：") % {"n": number}
        text = str(voice.text or "").strip()
        if len(text) < TEXT_MIN:
            problems.add("voices", where + _("请至少写5个字，说清楚反映的问题。"))
        elif len(text) > TEXT_MAX:
            problems.add("voices", where + _("内容不能超过2000字。"))
        if voice.kind not in CaseKind.values:
            problems.add("voices", where + _("诉求类型无效。"))
        person: Person | None = None
        if not voice.anonymous:
            wanted = str(voice.employee_no or "").strip()
            person = by_number.get(wanted) if wanted else (people[0] if people else None)
            if wanted and person is None:
                problems.add(
                    "voices",
                    where + _("提出人（工号“%(no)s”）须是谈话对象之一。") % {"no": wanted},
                )
        checked.append(CheckedVoice(kind=voice.kind, text=text, person=person))
    return checked


def talk_check(*, actor: Actor, data: TalkInput, finder: PeopleFinder | None = None) -> CheckedTalk:
    """Return ``data`` checked; ``InvalidInput`` naming every field that is wrong.

    Whether ``actor`` may record at the unit is the service's question, not this one's.
    """
    finder = finder or PeopleFinder(actor)
    problems = _Problems()
    if data.kind not in TalkKind.values:
        problems.add("kind", _("请选择类型：谈心、走访或家访。"))
    if data.unit is None:
        problems.add("unit", _("请选择所在单位。"))
    held_on = _date(data.held_on, problems)
    hosts = _hosts(data, actor, finder, problems)
    numbers = words.split_words(data.person_employee_nos)
    if not numbers:
        problems.add("people", _("请至少填写一名谈话对象的工号。"))
    people = _people(numbers, finder, problems, "people", words.PEOPLE_MAX)
    both = {p.employee_no for p in hosts} & {p.employee_no for p in people}
    if both:
        problems.add(
            "people",
            _("谈话人不能同时是谈话对象：%(nos)s。") % {"nos": "、".join(sorted(both))},
        )
    place = str(data.place or "").strip()
    if place and place not in Place.values:
        problems.add("place", _("请从列表中选择地点。"))
    place_note = _text(data.place_note, "place_note", words.PLACE_NOTE_MAX, problems)
    if place == Place.OTHER and not place_note:
        problems.add("place_note", _("地点选择“其他”时，请填写地点说明。"))
    direction = str(data.direction or Direction.INITIATED)
    if direction not in Direction.values:
        problems.add("direction", _("请选择方式：主动约谈或接受约谈。"))
    summary = _text(data.summary, "summary", words.SUMMARY_MAX, problems)
    sensitive = _text(data.sensitive_note, "sensitive_note", words.SENSITIVE_MAX, problems)
    tags = _tags(data.tags, problems)
    voices = _voices(data.voices, people, problems)
    problems.raise_any()
    assert data.unit is not None  # noqa: S101 — a missing unit was raised above
    return CheckedTalk(
        kind=data.kind,
        unit=data.unit,
        held_on=held_on,
        hosts=hosts,
        people=people,
        place=place,
        place_note=place_note,
        direction=direction,
        summary=summary,
        tags=tags,
        sensitive_note=sensitive,
        voices=voices,
    )
