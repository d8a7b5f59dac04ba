"""The demo's proposals: a closed window at the washing plant, an open one at a mine, about 120
proposals whose texts fit where they were made."""

import pytest

from xinsheng.org import demo as org_demo
from xinsheng.proposals import demo
from xinsheng.proposals.choices import ProposalStatus
from xinsheng.proposals.models import Proposal, Window


@pytest.fixture
def loaded(db: None) -> dict[str, int]:
    org_demo.demo_load(seed=3)
    return demo.demo_load(seed=3)


def test_the_closed_window_is_the_washing_plants_and_the_open_one_a_mines(
    loaded: dict[str, int],
) -> None:
    closed, opened = Window.objects.order_by("closes_on")
    assert (closed.unit.code, closed.unit.name) == ("JT-C2-P1", "西河选煤厂")
    assert opened.unit.code == "JT-C1-M1"
    assert loaded["proposals"] == Proposal.objects.count() == 120
    plant_proposals = Proposal.objects.filter(window=closed)
    assert plant_proposals.count() == 62
    assert all(p.unit_path.startswith(closed.unit_path) for p in plant_proposals)
    assert closed.committee.filter(unit__path__startswith=closed.unit_path).count() >= 3


def test_the_plant_proposes_what_a_washing_plant_would(loaded: dict[str, int]) -> None:
    closed, opened = Window.objects.order_by("closes_on")
    plant_titles = " ".join(Proposal.objects.filter(window=closed).values_list("title", flat=True))
    mine_titles = " ".join(Proposal.objects.filter(window=opened).values_list("title", flat=True))
    assert "井下" not in plant_titles
    assert "降低电耗" in plant_titles or "皮带机" in plant_titles
    assert all(word not in mine_titles for word in ("浮选", "压滤机", "重介", "跳汰"))


def test_the_plants_window_went_the_whole_way(loaded: dict[str, int]) -> None:
    closed = Window.objects.order_by("closes_on").first()
    assert closed is not None
    done = Proposal.objects.filter(window=closed)
    assert not done.filter(status__in=[ProposalStatus.RECEIVED, ProposalStatus.EVALUATING])
    implemented = done.filter(actual_savings__isnull=False)
    assert implemented.count() >= 5
    assert done.filter(status=ProposalStatus.REWARDED).count() == 7
    assert loaded["on_notice"] == 3
