"""The demo's talks tell the story the issue asks for, through the services, once."""

import pytest
from django.utils import timezone

from xinsheng.cases import demo as cases_demo
from xinsheng.cases.choices import CaseStatus, Channel
from xinsheng.core.models import AuditEvent
from xinsheng.core.periods import YEAR, period_of
from xinsheng.org import demo as org_demo
from xinsheng.org.choices import UnitKind
from xinsheng.org.models import OrgUnit, in_subtree
from xinsheng.talks import demo as talks_demo
from xinsheng.talks import figures
from xinsheng.talks.choices import PairStatus, Place, RequestStatus, TalkKind
from xinsheng.talks.models import (
    Meeting,
    Rectification,
    SupervisionGroup,
    SupervisionNotice,
    TalkCycle,
    TalkPair,
    TalkRecord,
    TalkRequest,
    TalkVoice,
)

pytestmark = pytest.mark.django_db


def test_the_demo_talks_tell_the_story_of_a_quarter() -> None:
    org_demo.demo_load(seed=5)
    cases_demo.demo_load(seed=5, cases=200)

    made = talks_demo.demo_load(seed=5)

    # A cycle of the first company, planned from the three tiers, partly held
    cycle = TalkCycle.objects.get()
    assert set(TalkPair.objects.filter(cycle=cycle).values_list("rule__order", flat=True)) == {
        1,
        2,
        3,
    }
    held = TalkPair.objects.filter(cycle=cycle, status=PairStatus.HELD)
    assert held.exists()
    assert all(pair.record_id is not None for pair in held)
    # each with its talk, host and person, and the audit rows the services write
    for pair in held.select_related("record"):
        record = pair.record
        assert record is not None
        assert record.held_on == pair.held_on
        assert list(record.host_rows.values_list("person", flat=True)) == [pair.host_id]
        assert list(record.participants.values_list("person", flat=True)) == [pair.person_id]
    audited = set(
        AuditEvent.objects.filter(action="talk.pair.held").values_list("object_id", flat=True)
    )
    assert audited == {str(pk) for pk in held.values_list("pk", flat=True)}
    recorded = set(
        AuditEvent.objects.filter(action="talk.record").values_list("object_id", flat=True)
    )
    assert recorded == {str(pk) for pk in TalkRecord.objects.values_list("pk", flat=True)}
    # Talks, team visits (some underground) and home visits, some raising voices
    kinds = set(TalkRecord.objects.values_list("kind", flat=True))
    assert kinds == {TalkKind.TALK, TalkKind.VISIT, TalkKind.HOME_VISIT}
    assert TalkRecord.objects.filter(place=Place.UNDERGROUND).exists()
    assert TalkRecord.objects.exclude(sensitive_note="").exists()
    voices = TalkVoice.objects.select_related("case")
    assert voices.exists()
    assert {voice.case.channel for voice in voices} <= {Channel.TALK, Channel.VISIT}
    closed = [v.case for v in voices if v.case.status == CaseStatus.CLOSED]
    assert closed, "older voices went round the loop"
    assert all(case.created_at.date() <= case.closed_at.date() for case in closed)
    # Requests in every state, meetings with an overdue item, two groups and one notice
    assert set(TalkRequest.objects.values_list("status", flat=True)) == set(RequestStatus)
    assert Meeting.objects.count() == 3
    today = timezone.localdate()
    assert Rectification.objects.filter(done_on__isnull=True, due_on__lt=today).count() == 1
    assert SupervisionGroup.objects.count() == 2
    notice = SupervisionNotice.objects.get()
    # The first two mines are covered, the third lags behind and got the notice
    company = OrgUnit.objects.filter(kind=UnitKind.COMPANY).order_by("path").first()
    assert company is not None
    mines = list(OrgUnit.objects.filter(**in_subtree(company), kind=UnitKind.MINE).order_by("path"))
    reach = figures.reach_by_unit(mines, period_of(YEAR, today))
    coverage = [reach[mine.pk].coverage or 0 for mine in mines]
    assert coverage[0] >= 0.9
    assert coverage[1] >= 0.9
    assert coverage[2] < 0.9
    assert notice.unit == mines[2]
    assert made["voices"] == voices.count()

    assert talks_demo.demo_load(seed=5) == {}  # nothing twice
