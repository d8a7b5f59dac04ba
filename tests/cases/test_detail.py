"""The case page: facts, the submitter as each role may see them, photos, timeline, actions."""

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from tests.cases.factories import (
    Cast,
    answered,
    dispatched,
    make_cast,
    make_category,
    submit,
)
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.cases import services
from xinsheng.cases.models import Case
from xinsheng.cases.services import Identity
from xinsheng.org.choices import Role

ACTION_LINK = re.compile(r'href="/cases/[^/]+/act/([a-z-]+)/"')


@pytest.fixture
def cast(tree: Tree) -> Cast:
    return make_cast(tree)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def detail(client: Client, user: User, case: Case) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:detail", args=[case.case_no]))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def action_links(text: str) -> list[str]:
    return ACTION_LINK.findall(text)


def named(tree: Tree) -> Case:
    """Return a named case from team T1 by 王强, with his number and phone."""
    return submit(tree, "井下巷道照明不足，希望加装灯具。", anonymous=False).case


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


# --- Actions ----------------------------------------------------------------------------------


def test_each_role_gets_the_buttons_of_what_it_may_do_now(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given a new case, and a dispatched one
    new = submit(tree).case
    sent = dispatched(tree, cast).case
    # then the dispatcher may accept, reject or merge the new one, and nothing on the sent one
    assert action_links(detail(client, cast.dispatcher, new)) == ["accept", "reject", "merge"]
    assert action_links(detail(client, cast.dispatcher, sent)) == []
    # the unit signs, notes, returns or asks for time on the sent one, and cannot touch the new
    assert action_links(detail(client, cast.handler, sent)) == ["sign", "note", "return", "extend"]
    assert action_links(detail(client, cast.head, sent)) == ["sign", "note", "return", "extend"]
    # the supervisor may issue a 督办 notice; the recorder only reads
    assert action_links(detail(client, cast.supervisor, sent)) == ["supervise"]
    assert action_links(detail(client, cast.recorder, new)) == []
    # and the buttons say it in Chinese and lead to the action forms
    text = detail(client, cast.dispatcher, new)
    for label in ["受理", "不予受理", "合并"]:
        assert f">{label}</a>" in text
    assert reverse("cases:act", args=[new.case_no, "accept"]) in text


def test_after_signing_the_unit_may_answer_and_an_extension_waits_for_the_dispatcher(
    client: Client, tree: Tree, cast: Cast
) -> None:
    case = dispatched(tree, cast).case
    services.case_sign(case=case, actor=cast.handler)
    assert action_links(detail(client, cast.handler, case)) == [
        "note",
        "answer",
        "return",
        "extend",
    ]
    case.refresh_from_db()
    assert case.deadline is not None
    until = case.deadline.replace(year=case.deadline.year + 1)
    services.case_extension_request(case=case, actor=cast.handler, until=until, reason="需采购")
    text = detail(client, cast.dispatcher, case)
    assert action_links(text) == ["grant-extension", "refuse-extension"]
    assert ">同意延期</a>" in text
    assert ">不同意延期</a>" in text
    assert f"申请延期至 {until.isoformat()}" in text
    assert "需采购" in text


# --- Who raised it ----------------------------------------------------------------------------


def test_an_anonymous_case_shows_anonymous_to_everyone(
    client: Client, tree: Tree, cast: Cast
) -> None:
    case = submit(tree).case
    for user in [cast.dispatcher, cast.admin, cast.supervisor]:
        text = detail(client, user, case)
        assert "匿名" in text


@pytest.mark.parametrize(
    ("role", "name_shown", "phone_shown"),
    [
        ("dispatcher", "王强", "13900001111"),
        ("handler", "王强", "13900001111"),
        ("admin", "王强", "13900001111"),
        ("supervisor", "王*", None),
        ("recorder", "王*", None),
    ],
)
def test_the_submitter_is_shown_as_each_role_may_see_them(
    client: Client, tree: Tree, cast: Cast, role: str, name_shown: str, phone_shown: str | None
) -> None:
    # given a named case dispatched to area A1
    case = named(tree)
    services.case_accept(case=case, actor=cast.dispatcher, category=make_category())
    services.case_dispatch(case=case, actor=cast.dispatcher, unit=tree.area1)
    # when each role opens it
    text = detail(client, getattr(cast, role), case)
    # then the name is whole or masked, and the phone shown only to those who call back
    assert name_shown in text
    if name_shown.endswith("*"):
        assert "王强" not in text
        assert "JT0000001" not in text
    assert ("13900001111" in text) is (phone_shown is not None)
    assert "匿名" not in text


def test_an_anonymous_voice_from_a_small_team_is_not_pinned_on_it(
    client: Client, tree: Tree, cast: Cast
) -> None:
    case = submit(tree).case
    assert "综采一区一班" not in detail(client, cast.dispatcher, case)
    assert "综采一区一班" in detail(client, cast.admin, case)


# --- The rest of the page ---------------------------------------------------------------------


def test_the_page_shows_facts_answer_rating_and_the_whole_timeline(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given a case taken round the loop, with an internal note and a rating
    submitted = dispatched(tree, cast)
    case = submitted.case
    services.case_sign(case=case, actor=cast.handler)
    services.case_note(case=case, actor=cast.handler, text="已与食堂管理员沟通。")
    services.case_answer(case=case, actor=cast.handler, text="夜班热饭已安排到位。", solved=True)
    services.case_rate(receipt_code=submitted.receipt_code, satisfaction="satisfied", solved=True)
    # when the dispatcher opens it
    text = detail(client, cast.dispatcher, case)
    # then it shows the facts, the answer, the rating and every step with who and where
    case.refresh_from_db()
    for shown in [
        case.case_no,
        "食堂晚班没有热饭",
        "扫码",
        "诉求",
        "食堂",
        "综采一区",
        "夜班热饭已安排到位。",
        "满意",
        "问题已解决",
        "已办结",
        "已与食堂管理员沟通。",
        f"办理时限：{case.deadline.isoformat()}" if case.deadline else "",
    ]:
        assert shown in text, shown
    steps = re.findall(r"<strong>([^<]+)</strong>\s*(?:<span class=\"badge internal\">)?", text)
    for step in ["提交", "受理", "派单", "签收", "办理记录", "答复", "评价", "办结"]:
        assert step in steps
    # the internal note, and only it here, is marked internal
    assert text.count(">内部</span>") == 1
    handler = case.handler
    assert handler is not None
    assert handler.person.name in text


def test_a_case_outside_scope_is_not_found_like_a_missing_one(
    client: Client, tree: Tree, cast: Cast
) -> None:
    case = services.case_submit(
        unit=tree.mine2,
        kind="demand",
        title="",
        text="二矿澡堂热水不足。",
        identity=Identity(anonymous=True),
    ).case
    client.force_login(cast.dispatcher)
    assert client.get(reverse("cases:detail", args=[case.case_no])).status_code == 404
    assert client.get(reverse("cases:detail", args=["2000-999999"])).status_code == 404


def test_the_case_page_asks_for_login(client: Client, tree: Tree) -> None:
    case = submit(tree).case
    response = client.get(reverse("cases:detail", args=[case.case_no]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Photos -----------------------------------------------------------------------------------


def test_photos_are_served_only_to_those_who_may_see_the_case(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given a case with a photo
    case = services.case_submit(
        unit=tree.team1,
        kind="complaint",
        title="",
        text="巷道积水严重，见照片。",
        identity=Identity(anonymous=True),
        photos=[png()],
    ).case
    photo = case.photos.get()
    url = reverse("cases:photo", args=[case.case_no, photo.pk])
    # when the dispatcher opens the case, the thumbnail points at the login-only view
    assert url in detail(client, cast.dispatcher, case)
    response = client.get(url)
    # then the photo comes with its stored type
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert Image.open(io.BytesIO(body)).size == (40, 30)
    # a dispatcher of another company gets 404, and so does a photo asked under another case
    outsider = make_staff(tree.company2, Role.DISPATCHER)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    other = submit(tree).case
    client.force_login(cast.dispatcher)
    wrong = reverse("cases:photo", args=[other.case_no, photo.pk])
    assert client.get(wrong).status_code == 404
    # and nobody signed out gets it
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- What the page costs ----------------------------------------------------------------------


def page_statements(client: Client, user: User, case: Case) -> tuple[int, str]:
    """Return how many statements the case page takes for ``user``, and the page."""
    client.force_login(user)
    url = reverse("cases:detail", args=[case.case_no])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        text = client.get(url).content.decode()
    return len(queries.captured_queries), text


def test_the_case_page_reads_only_the_lists_the_case_has(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given a case taken round the loop and rated, a case merged into it, and a new case
    submitted = answered(tree, cast)
    case = submitted.case
    services.case_rate(receipt_code=submitted.receipt_code, satisfaction="satisfied", solved=True)
    duplicate = submit(tree, "食堂夜班也没有热汤。").case
    services.case_merge(case=duplicate, actor=cast.dispatcher, into=case)
    new = named(tree)
    # when the administrator opens them (who sees an anonymous case's own unit: no look-ups of
    # the nearest unit large enough to show)
    full, text = page_statements(client, cast.admin, case)
    plain, plain_text = page_statements(client, cast.admin, new)
    # then the full one shows its rating, its merged case and its timeline
    assert "满意" in text
    assert duplicate.case_no in text
    assert "类别：食堂" in text
    assert "井下巷道照明不足" in plain_text
    # in at most: session, user, roles (with the person), case, timeline, ratings, merged cases
    assert full <= 7
    # and the new one without reading ratings, photos or merged cases it has none of
    assert plain <= 5


def test_the_timeline_names_the_category_a_case_was_first_accepted_under(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given a case accepted as canteen, later filed under another category
    case = dispatched(tree, cast, make_category("canteen", "食堂")).case
    Case.objects.filter(pk=case.pk).update(category=make_category("bus", "通勤班车"))
    # when it is opened
    text = detail(client, cast.dispatcher, case)
    # then the acceptance names the category it was accepted under, the facts the present one
    assert "类别：食堂" in text
    assert "<dd>通勤班车</dd>" in text


def test_the_case_page_shows_its_labels_and_timeline_in_the_language_of_the_page(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given a dispatched case
    case = dispatched(tree, cast).case
    # when the dispatcher opens its page in Chinese, then in English
    chinese = detail(client, cast.dispatcher, case)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = detail(client, cast.dispatcher, case)
    # then its status, kind, channel and urgency, and each step of the timeline, are named in
    # the language of the page
    for label in ("<dd>诉求</dd>", "<dd>扫码</dd>", "<dd>一般</dd>", "<dd>已派单</dd>"):
        assert label in chinese
    for step in ("<strong>提交</strong>", "<strong>受理</strong>", "<strong>派单</strong>"):
        assert step in chinese
    for label in ("<dd>Demand</dd>", "<dd>QR code</dd>", "<dd>Normal</dd>", "<dd>Dispatched</dd>"):
        assert label in english
    for step in ("<strong>Submit</strong>", "<strong>Accept</strong>", "<strong>Dispatch</strong>"):
        assert step in english
    assert '<span class="status status-dispatched">Dispatched</span>' in english
