"""Practical-matter projects in the briefing: projects done, voices they answered, commitments."""

from django.utils import timezone

from tests.cases.factories import make_cast, submit
from tests.conftest import Tree
from tests.projects.factories import make_project
from xinsheng.core.periods import MONTH, period_of
from xinsheng.projects import services
from xinsheng.reports.briefing import build_content


def test_the_briefing_tells_what_projects_did(tree: Tree) -> None:
    cast = make_cast(tree)
    voices = [submit(tree, "停车位太少，上班找不到地方停车。"), submit(tree, "希望多建车位。")]
    body = services.commitment_body_create(
        actor=cast.dispatcher, unit=tree.company1, name="2026年职代会"
    )
    done = make_project(cast.dispatcher, tree.company1, commitment_body=body, commitment_no=1)
    make_project(
        cast.dispatcher,
        tree.company1,
        title="职工餐厅扩建100平方米",
        commitment_body=body,
        commitment_no=2,
    )
    services.project_link_cases(
        actor=cast.dispatcher, project=done, cases=[voice.case for voice in voices]
    )
    services.project_complete(actor=cast.dispatcher, project=done, answer="新增车位75个已投用。")

    content = build_content(tree.company1, period_of(MONTH, timezone.localdate()))

    assert content.figures["projects"] == {
        "done": 1,
        "voices_answered": 2,
        "commitments": {"2026年职代会": {"kept": 1, "promised": 2}},
    }
    text = "\n".join(content.paragraphs)
    assert "销号实事项目1项" in text
    assert "随项目答复职工诉求2件" in text
    assert "2026年职代会承诺的2件实事已完成1件，完成率50%" in text
