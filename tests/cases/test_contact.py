"""A named submitter who leaves a mobile number or e-mail is told of their case's progress, and
can keep their receipt code as a picture or send it to themselves."""

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.test import Client
from PIL import Image

from tests.cases.factories import Cast, make_cast, make_category
from tests.cases.test_public import INTAKE_URL, RECEIPT_URL, form_data, receipt_of
from tests.conftest import Tree
from xinsheng.cases import services
from xinsheng.cases.models import Case
from xinsheng.core import sms

NAMED = {"identity": "named", "name": "王强", "employee_no": "JT0000001"}
API = "/api/v1/units/{code}/cases"


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    cache.clear()
    sms.outbox.clear()
    yield
    cache.clear()
    sms.outbox.clear()


@pytest.fixture
def cast(tree: Tree) -> Cast:
    return make_cast(tree)


def send_form(client: Client, tree: Tree, **fields: Any) -> Any:
    return client.post(INTAKE_URL.format(code=tree.team1.code), form_data(**fields))


def take_round(case: Case, cast: Cast, tree: Tree) -> None:
    """Accept, dispatch, sign and answer ``case`` as staff do."""
    services.case_accept(case=case, actor=cast.dispatcher, category=make_category())
    services.case_dispatch(case=case, actor=cast.dispatcher, unit=tree.area1)
    services.case_sign(case=case, actor=cast.handler)
    services.case_answer(case=case, actor=cast.handler, text="已修好热水器。", solved=True)


# --- what may be left, and where --------------------------------------------------------------


def test_a_named_submitter_may_leave_a_mobile_and_an_email(client: Client, tree: Tree) -> None:
    response = send_form(client, tree, **NAMED, phone="13900001111", email=" wq@example.com ")

    assert response.status_code == 200
    case = Case.objects.get()
    assert (case.submitter_phone, case.submitter_email) == ("13900001111", "wq@example.com")


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("wq@", "电子邮箱格式不正确"),
        ("not an address", "电子邮箱格式不正确"),
        ("w" * 95 + "@example.com", "电子邮箱不能超过100个字符"),
    ],
)
def test_a_wrong_email_is_refused_on_the_form_and_nothing_saved(
    client: Client, tree: Tree, email: str, message: str
) -> None:
    response = send_form(client, tree, **NAMED, email=email)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Case.objects.exists()


def test_the_form_offers_a_contact_only_with_the_name(client: Client, tree: Tree) -> None:
    html = client.get(INTAKE_URL.format(code=tree.team1.code)).content.decode()

    # The phone and e-mail boxes are inside the named part, which anonymous hides (public.css)
    named = html.split('class="named-fields"', 1)[1].split("</fieldset>", 1)[0]
    assert 'name="email"' in named
    assert 'name="phone"' in named
    assert html.count('name="email"') == 1


def test_an_anonymous_voice_keeps_no_contact_typed_before_switching(
    client: Client, tree: Tree, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # Given someone who typed a phone and an e-mail, then chose anonymous
    with django_capture_on_commit_callbacks(execute=True):
        response = send_form(
            client, tree, identity="anonymous", phone="13900002222", email="anon@example.com"
        )
        case = Case.objects.get()
        take_round(case, cast, tree)

    # Then the case holds no contact, and nobody is told anything
    assert response.status_code == 200
    case.refresh_from_db()
    assert (case.submitter_phone, case.submitter_email) == ("", "")
    assert sms.outbox == []
    assert [m for m in mail.outbox if "anon@example.com" in m.to] == []
    # ... and the page after sending offers no "send it to me"
    assert "receipt_send" not in response.content.decode()
    assert "/r/send/" not in response.content.decode()


def test_the_api_refuses_a_contact_with_an_anonymous_voice(client: Client, tree: Tree) -> None:
    for contact in ({"phone": "13900002222"}, {"email": "anon@example.com"}):
        body = {"kind": "demand", "text": "食堂晚班没有热饭，希望延长。", "anonymous": True}
        response = client.post(
            API.format(code=tree.team1.code), {**body, **contact}, content_type="application/json"
        )

        assert response.status_code == 400
        assert "匿名提交不能留手机号或电子邮箱" in response.json()["message"]
    assert not Case.objects.exists()


def test_the_api_takes_and_checks_a_named_email(client: Client, tree: Tree) -> None:
    body = {"kind": "demand", "text": "食堂晚班没有热饭，希望延长。", "anonymous": False}
    body |= {"name": "王强", "employee_no": "JT0000001"}
    url = API.format(code=tree.team1.code)

    wrong = client.post(url, {**body, "email": "wq@"}, content_type="application/json")
    right = client.post(url, {**body, "email": "wq@example.com"}, content_type="application/json")

    assert wrong.status_code == 400
    assert "电子邮箱格式不正确" in wrong.json()["fields"]["email"][0]
    assert right.status_code == 201
    assert Case.objects.get().submitter_email == "wq@example.com"


# --- being told -----------------------------------------------------------------------------------


def test_the_submitter_is_told_when_dispatched_and_answered(
    client: Client, tree: Tree, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # Given a named voice with a mobile number and an e-mail address
    send_form(client, tree, **NAMED, phone="13900001111", email="wq@example.com")
    case = Case.objects.get()
    assert sms.outbox == []  # nothing on sending: they have the page in front of them

    # When staff dispatch and answer it
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(case=case, actor=cast.dispatcher, category=make_category())
        services.case_dispatch(case=case, actor=cast.dispatcher, unit=tree.area1)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_sign(case=case, actor=cast.handler)
        services.case_answer(case=case, actor=cast.handler, text="已修好热水器。", solved=True)

    # Then a text message and an e-mail said so each time, with the case number
    texts = [m.text for m in sms.outbox if m.to == "13900001111"]
    assert len(texts) == 2
    assert case.case_no in texts[0]
    assert "已交承办单位办理" in texts[0]
    assert "已答复" in texts[1]
    assert "/r/" in texts[1]
    mails = [m for m in mail.outbox if m.to == ["wq@example.com"]]
    assert [case.case_no in m.subject for m in mails] == [True, True]
    assert "已答复" in mails[1].subject


def test_closing_it_oneself_by_rating_tells_nothing_more(
    client: Client, tree: Tree, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    response = send_form(client, tree, **NAMED, phone="13900001111")
    case = Case.objects.get()
    take_round(case, cast, tree)
    sms.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.case_rate(receipt_code=receipt_of(response), satisfaction="satisfied", solved=True)

    assert sms.outbox == []


def test_a_landline_gets_no_text_message(
    client: Client, tree: Tree, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    send_form(client, tree, **NAMED, phone="0351-1234567")
    with django_capture_on_commit_callbacks(execute=True):
        take_round(Case.objects.get(), cast, tree)

    assert sms.outbox == []


def test_a_number_written_down_in_the_notebook_gets_no_message(
    tree: Tree, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # Given a voice a recorder heard face to face, with the employee's mobile for a call-back
    submitted = services.case_record(
        actor=cast.recorder,
        unit=tree.team1,
        channel="face",
        kind="complaint",
        title="",
        text="井口浴室热水不够用。",
        identity=services.Identity(
            anonymous=False, name="李明", employee_no="JT0002", phone="13900002222"
        ),
    )

    # When staff take it round the loop
    with django_capture_on_commit_callbacks(execute=True):
        take_round(submitted.case, cast, tree)

    # Then the number was not used for text messages: it was given for a call-back
    assert sms.outbox == []


# --- keeping the code -----------------------------------------------------------------------------


def test_the_code_shows_in_groups_with_copy_picture_and_send(client: Client, tree: Tree) -> None:
    response = send_form(client, tree, **NAMED, phone="13900001111")
    html = response.content.decode()
    code = receipt_of(response)

    groups = re.findall(r'<span class="group">([0-9A-Z]{4})</span>', html)
    assert "-".join(groups) == code
    assert 'data-copy="receipt-code"' in html
    assert 'action="/r/image/"' in html
    assert "发送到尾号1111的手机" in html
    assert code not in re.findall(r'href="([^"]*)"', html)  # never in a link


def test_the_code_downloads_as_a_png_by_post_only(client: Client, tree: Tree) -> None:
    code = receipt_of(send_form(client, tree))
    case = Case.objects.get()

    picture = client.post("/r/image/", {"code": code})
    by_link = client.get("/r/image/", {"code": code})
    wrong = client.post("/r/image/", {"code": "0000-0000-0000-0000-0000"})

    assert picture.status_code == 200
    assert picture["Content-Type"] == "image/png"
    assert f"xinsheng-{case.case_no}.png" in picture["Content-Disposition"]
    assert Image.open(io.BytesIO(picture.content)).size == (720, 420)
    assert by_link.status_code == 405
    assert wrong.status_code == 404


def test_the_code_can_be_sent_to_oneself(
    client: Client, tree: Tree, django_capture_on_commit_callbacks: Any
) -> None:
    response = send_form(client, tree, **NAMED, email="wq@example.com")
    code = receipt_of(response)

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/r/send/", {"code": code})

    assert sent.status_code == 200
    assert "查询码已发送至w***@example.com" in sent.content.decode()
    assert [m.to for m in mail.outbox] == [["wq@example.com"]]
    assert code in mail.outbox[0].body


def test_an_anonymous_code_cannot_be_sent_anywhere(client: Client, tree: Tree) -> None:
    code = receipt_of(send_form(client, tree))

    refused = client.post("/r/send/", {"code": code})

    assert refused.status_code == 400
    assert "没有留下手机号或电子邮箱" in refused.content.decode()


def test_staff_see_the_email_only_where_they_see_the_name(
    client: Client, tree: Tree, cast: Cast
) -> None:
    send_form(client, tree, **NAMED, email="wangqiang@example.com")
    case = Case.objects.get()

    dispatcher = services.selectors.case_submitter_shown(actor=cast.dispatcher, case=case)
    supervisor = services.selectors.case_submitter_shown(actor=cast.supervisor, case=case)

    assert dispatcher["email"] == "wangqiang@example.com"
    assert supervisor["email"] == ""


def test_the_follow_up_page_points_to_recovery(client: Client) -> None:
    assert "/r/recover/" in client.get(RECEIPT_URL).content.decode()


def test_the_database_refuses_a_contact_on_an_anonymous_case(client: Client, tree: Tree) -> None:
    send_form(client, tree)

    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.update(submitter_email="anon@example.com")


def test_a_supporter_with_an_email_is_told_of_the_answer_too(
    client: Client, tree: Tree, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # Given an anonymous voice, and a named colleague who supports it (附议) leaving an e-mail
    send_form(client, tree)
    case = Case.objects.get()
    services.case_support(
        unit=tree.team1,
        case_no=case.case_no,
        text="我们班组也是这样，夜班澡堂一直没有热水。",
        identity=services.Identity(
            anonymous=False, name="李娜", employee_no="JT0000777", email="ln@example.com"
        ),
    )

    # When the voice is answered
    with django_capture_on_commit_callbacks(execute=True):
        take_round(case, cast, tree)

    # Then the supporter hears of it, naming the case they follow; the anonymous author cannot
    answered = [m for m in mail.outbox if "已答复" in m.subject]
    assert [m.to for m in answered] == [["ln@example.com"]]
    assert case.case_no in answered[0].body
