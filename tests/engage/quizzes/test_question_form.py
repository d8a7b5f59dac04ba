"""A question added and edited by hand on the bank's page: checked as an imported row is,
audited, and retired rather than deleted once it was drawn into an attempt."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.conftest import Tree
from tests.engage.quizzes.factories import make_bank, make_campaign, make_round
from tests.org.factories import PersonFactory, make_staff
from xinsheng.core.models import AuditEvent
from xinsheng.engage.quizzes import bank, services
from xinsheng.engage.quizzes.models import Question
from xinsheng.org.choices import Role

pytestmark = pytest.mark.django_db

SINGLE = {
    "unit": "C1",
    "text": "入井人员必须随身携带的是？",
    "kind": "single",
    "option_a": "自救器",
    "option_b": "手机",
    "option_c": "打火机",
    "answer": "a",
    "explanation": "《煤矿安全规程》规定，入井人员必须随身携带自救器。",
    "tags": "安全生产、一通三防",
    "difficulty": "easy",
}


@pytest.fixture
def organiser(tree: Tree) -> User:
    return make_staff(tree.company1, Role.UNION)


def test_a_question_added_on_the_page_is_in_the_bank_and_audited(
    tree: Tree, client: Client
) -> None:
    page = client.get(reverse("quizzes:question_new"))
    assert page.status_code == 200
    assert 'name="option_f"' in page.content.decode()
    answer = client.post(reverse("quizzes:question_new"), SINGLE)
    assert answer.status_code == 302
    question = Question.objects.get()
    assert question.unit == tree.company1
    assert question.options == ["自救器", "手机", "打火机"]
    assert question.answer == "A"
    assert question.tags == ["安全生产", "一通三防"]
    assert AuditEvent.objects.filter(action="quiz.question.create").count() == 1
    listed = client.get(reverse("quizzes:bank")).content.decode()
    assert "入井人员必须随身携带的是？" in listed
    assert reverse("quizzes:question_edit", args=[question.pk]) in listed


def test_a_true_false_question_needs_no_options(client: Client) -> None:
    data = {**SINGLE, "kind": "true_false", "option_a": "", "option_b": "", "option_c": ""}
    answer = client.post(reverse("quizzes:question_new"), {**data, "answer": "错误"})
    assert answer.status_code == 302
    question = Question.objects.get()
    assert (question.options, question.answer) == (["正确", "错误"], "B")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"answer": "D"}, "答案“D”不在选项 ABC 之内。"),
        ({"answer": "AB"}, "单选题只能有一个答案。"),
        ({"kind": "multiple"}, "多选题的答案应有两个或以上选项。"),
        ({"option_b": "", "option_c": ""}, "选择题须有2至8个选项。"),
        ({"option_b": "自救器"}, "选项不能重复。"),
        ({"kind": "true_false", "answer": "也许"}, "判断题的答案应为“正确”或“错误”。"),
        ({"tags": "一、二、三、四、五、六"}, "标签最多5个"),
        ({"unit": "C2"}, "找不到该单位代码"),
    ],
)
def test_a_bad_question_is_refused_with_the_imports_message_and_nothing_written(
    client: Client, change: dict[str, str], message: str
) -> None:
    answer = client.post(reverse("quizzes:question_new"), {**SINGLE, **change})
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not Question.objects.exists()
    assert not AuditEvent.objects.filter(action="quiz.question.create").exists()


def test_a_question_is_edited_and_the_draw_sees_it(
    tree: Tree, client: Client, organiser: User
) -> None:
    question = services.question_create(
        actor=organiser,
        unit=tree.company1,
        data=services.QuestionData("旧题目", "single", ["甲", "乙"], "A", tags=["旧"]),
    )
    page = client.get(reverse("quizzes:question_edit", args=[question.pk])).content.decode()
    assert "旧题目" in page
    assert 'value="甲"' in page
    answer = client.post(
        reverse("quizzes:question_edit", args=[question.pk]),
        {**SINGLE, "answer": "B", "difficulty": "hard"},
    )
    assert answer.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.answer, question.difficulty) == (
        "入井人员必须随身携带的是？",
        "B",
        "hard",
    )
    event = AuditEvent.objects.get(action="quiz.question.update")
    assert event.before["text"] == "旧题目"
    assert (event.before["tags"], event.after["tags"]) == (["旧"], ["安全生产", "一通三防"])
    entry = next(e for e in bank.bank_of(tree.mine1).entries if e.id == question.pk)
    assert entry.difficulty == "hard"


def _another_answer(question: Question) -> str:
    """Return a valid answer to ``question`` other than its own."""
    if question.kind == "multiple":
        return "AB" if question.answer != "AB" else "ABC"
    return "B" if question.answer != "B" else "A"


def test_a_drawn_question_keeps_its_answer_and_is_retired_not_deleted(
    tree: Tree, client: Client, organiser: User
) -> None:
    make_bank(tree.group, per_kind=3)
    quiz_round = make_round(make_campaign(tree.company1, organiser), organiser, count=4)
    PersonFactory(unit=tree.team1, name="王芳", employee_no="A100")
    attempt = services.attempt_start(quiz_round=quiz_round, employee_no="A100", name="王芳")
    drawn = Question.objects.get(pk=attempt.questions[0])
    unused = Question.objects.exclude(pk__in=attempt.questions).first()
    assert unused is not None
    group_keeper = make_staff(tree.group, Role.UNION)
    client.force_login(group_keeper)
    edit = reverse("quizzes:question_edit", args=[drawn.pk])
    assert "已被抽到过" in client.get(edit).content.decode()
    data = {
        "text": drawn.text + "（修订）",
        "kind": drawn.kind,
        "answer": _another_answer(drawn),
        "difficulty": drawn.difficulty,
        "tags": "、".join(drawn.tags),
        **dict(zip(["option_a", "option_b", "option_c", "option_d"], drawn.options, strict=False)),
    }
    refused = client.post(edit, data)
    assert refused.status_code == 400
    assert "不能再更改题型、选项或答案" in refused.content.decode()
    drawn.refresh_from_db()
    assert not drawn.text.endswith("（修订）")
    fixed = client.post(edit, {**data, "answer": drawn.answer})
    assert fixed.status_code == 302
    drawn.refresh_from_db()
    assert drawn.text.endswith("（修订）")

    retired = client.post(reverse("quizzes:question_retire", args=[drawn.pk]), follow=True)
    assert "已停用并保留" in retired.content.decode()
    drawn.refresh_from_db()
    assert not drawn.is_active
    assert drawn.pk not in {e.id for e in bank.bank_of(tree.company1).entries}
    assert AuditEvent.objects.filter(action="quiz.question.retire").count() == 1

    client.post(reverse("quizzes:question_retire", args=[unused.pk]))
    assert not Question.objects.filter(pk=unused.pk).exists()
    assert AuditEvent.objects.filter(action="quiz.question.delete").count() == 1


def test_nobody_edits_a_bank_outside_their_subtree(tree: Tree, organiser: User) -> None:
    question = services.question_create(
        actor=organiser,
        unit=tree.company1,
        data=services.QuestionData("题目", "single", ["甲", "乙"], "A"),
    )
    other = Client()
    other.force_login(make_staff(tree.company2, Role.UNION))
    assert other.get(reverse("quizzes:question_edit", args=[question.pk])).status_code == 404
    assert other.post(reverse("quizzes:question_retire", args=[question.pk])).status_code == 404
    assert Question.objects.filter(pk=question.pk).exists()
