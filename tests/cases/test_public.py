"""The employee side: the form behind a unit's QR code, the receipt, and the follow-up page."""

import io
import itertools
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from pytest_django.fixtures import Settings

from tests.cases.factories import Cast, answered, dispatched, make_cast, make_category, submit
from tests.conftest import Tree
from tests.org.factories import PersonFactory
from xinsheng.cases import services
from xinsheng.cases.choices import CaseStatus, CloseReason
from xinsheng.cases.models import Case, CasePhoto, Rating
from xinsheng.org.models import OrgUnit

pytestmark = pytest.mark.usefixtures("fresh_cache")

INTAKE_URL = "/v/{code}/"
RECEIPT_URL = "/r/"
RECEIPT_PATTERN = re.compile(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}")
TEXT = "二号井口澡堂夜班没有热水，已经一个多星期了，希望尽快修好。"


# --- helpers (also used by test_anonymity) --------------------------------------------------------

_keys = itertools.count(1)


def form_data(**overrides: Any) -> dict[str, Any]:
    """Return what a person fills in: an anonymous demand, with a fresh idempotency key."""
    data: dict[str, Any] = {
        "kind": "demand",
        "title": "",
        "text": TEXT,
        "identity": "anonymous",
        "name": "",
        "employee_no": "",
        "phone": "",
        "website": "",
        "intake_key": f"key-{next(_keys)}",
        "k": "",
    }
    data.update(overrides)
    return data


def post_intake(client: Client, unit: OrgUnit, data: dict[str, Any], **extra: Any) -> Any:
    return client.post(INTAKE_URL.format(code=unit.code), data, **extra)


def response_text(client: Client, unit: OrgUnit) -> str:
    return client.get(INTAKE_URL.format(code=unit.code)).content.decode()


def intake_key_on(html: str) -> str:
    match = re.search(r'name="intake_key" value="([^"]+)"', html)
    assert match, "no intake key on the form"
    return match.group(1)


def receipt_of(response: Any) -> str:
    """Return the receipt code shown on the page after submitting."""
    match = RECEIPT_PATTERN.search(response.content.decode())
    assert match, "no receipt code on the page"
    return match.group(0)


def look_up(client: Client, code: str, **extra: Any) -> Any:
    return client.post(RECEIPT_URL, {"code": code, **extra})


def jpeg_with_gps() -> bytes:
    """Return a small real JPEG whose EXIF carries a camera model and a GPS position."""
    image = Image.new("RGB", (64, 48), (200, 120, 40))
    exif = Image.Exif()
    exif[0x0110] = "Distinctive-Camera-Model"  # Model
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 5.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def media(settings: Settings, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def cast(tree: Tree) -> Cast:
    return make_cast(tree)


# --- the form -------------------------------------------------------------------------------------


def test_the_form_is_small_local_and_says_what_anonymous_means(client: Client, tree: Tree) -> None:
    # When a phone opens a unit's link
    response = client.get(INTAKE_URL.format(code=tree.team1.code))

    # Then it shows the unit, the five kinds and what anonymous means, and nothing from outside
    html = response.content.decode()
    assert response.status_code == 200
    assert tree.team1.name in html
    for kind in ("诉求", "建议", "投诉", "咨询", "表扬"):
        assert f"<span>{kind}</span>" in html
    assert "不保存您的姓名、工号、手机号、账号，也不保存您的IP地址或设备信息" in html
    assert "查询码" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "htmx" not in html
    assert "echarts" not in html
    assert "no-store" in response["Cache-Control"]
    # ... with a live counter and a draft kept on the phone (public.js)
    assert f'data-draft-key="xinsheng-draft:{tree.team1.code}"' in html
    assert 'data-counter="text-count"' in html
    # ... and a fresh idempotency key per rendering
    assert intake_key_on(html) != intake_key_on(response_text(client, tree.team1))


def test_a_named_voice_gets_a_case_number_and_a_receipt_shown_once(
    client: Client, tree: Tree
) -> None:
    # Given a named voice
    data = form_data(
        identity="named", name="李建国", employee_no="JT0100", phone="13800001234", kind="praise"
    )

    # When it is sent
    response = post_intake(client, tree.team1, data)

    # Then the answer to the POST itself shows the case number and the receipt code, not cached
    assert response.status_code == 200
    case = Case.objects.get()
    html = response.content.decode()
    assert case.case_no in html
    code = receipt_of(response)
    assert services.case_for_receipt(code) == case
    assert "no-store" in response["Cache-Control"]
    assert "Location" not in response
    assert "复制查询码" in html
    assert "只显示这一次" in html
    assert f'data-draft-clear="xinsheng-draft:{tree.team1.code}"' in html
    # ... and the case is filed as sent, with the name
    assert (case.kind, case.channel, case.origin_unit) == ("praise", "qr", tree.team1)
    assert (case.is_anonymous, case.submitter_name, case.submitter_employee_no) == (
        False,
        "李建国",
        "JT0100",
    )
    assert case.submitter_phone == "13800001234"
    assert case.title == "二号井口澡堂夜班没有热水，已经一个多星期…"
    # ... and the code itself is stored nowhere
    assert code not in str(Case.objects.values().get())


def test_an_anonymous_voice_keeps_nothing_of_the_name_typed_before_switching(
    client: Client, tree: Tree
) -> None:
    # Given someone who typed a name, then chose anonymous
    data = form_data(identity="anonymous", name="张三", employee_no="JT0200", phone="13900002222")

    # When it is sent
    response = post_intake(client, tree.team1, data)

    # Then the case is anonymous and empty of identity
    assert response.status_code == 200
    case = Case.objects.get()
    assert case.is_anonymous
    assert (case.submitter_name, case.submitter_employee_no, case.submitter_phone) == ("", "", "")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": "太短"}, "请至少写5个字"),
        ({"text": "长" * 2001}, "内容不能超过2000字"),
        ({"identity": "named", "name": "", "employee_no": "JT1"}, "姓名不能为空"),
        ({"identity": "named", "name": "王五", "employee_no": "工号?"}, "工号须为"),
        ({"identity": "named", "name": "王五", "employee_no": "JT1", "phone": "123"}, "手机号格式"),
        ({"kind": "wish"}, "选项无效"),
        ({"title": "标" * 101}, "标题不能超过100字"),
    ],
)
def test_bad_input_is_refused_and_what_was_typed_is_kept(
    client: Client, tree: Tree, overrides: dict[str, str], message: str
) -> None:
    # Given a form with one mistake, and a distinctive title that was typed
    data = {**form_data(title="夜班热水问题"), **overrides}

    # When it is sent
    response = post_intake(client, tree.team1, data)

    # Then nothing is created, the message says what is wrong, and the typed values are back
    html = response.content.decode()
    assert response.status_code == 400
    assert Case.objects.count() == 0
    assert message in html
    assert "您填写的内容已保留" in html
    assert data["text"] in html
    assert data["title"] in html
    assert data["intake_key"] in html  # a corrected retry is still one case
    if data["identity"] == "named":
        assert f'value="{data["employee_no"]}"' in html


def test_a_photo_is_stored_without_exif_or_location(client: Client, tree: Tree, media: Any) -> None:
    # Given a real JPEG with a GPS position in its EXIF
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)

    # When it is sent with a voice
    photo = SimpleUploadedFile("IMG_0001.jpg", original, content_type="image/jpeg")
    response = post_intake(client, tree.team1, {**form_data(), "photos": [photo]})

    # Then the stored photo is a JPEG with no EXIF at all
    assert response.status_code == 200
    stored = CasePhoto.objects.get()
    data = stored.image.read()
    assert b"Distinctive-Camera-Model" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
    assert (stored.width, stored.height) == (64, 48)
    assert "IMG_0001" not in str(stored.image.name)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            [("notes.jpg", "这不是图片，只是改了扩展名的文本。".encode())],
            "只能上传 JPEG、PNG 或 WebP",
        ),
        ([("big.jpg", b"\xff\xd8\xff" + b"0" * (6 * 1024 * 1024))], "每张照片不能超过5MB"),
        ([(f"p{i}.jpg", b"") for i in range(4)], "最多上传3张照片"),
    ],
)
def test_files_that_are_not_small_photos_are_refused(
    client: Client, tree: Tree, media: Any, files: list[tuple[str, bytes]], message: str
) -> None:
    # Given a file renamed .jpg, a 6 MB file, or four photos
    uploads = [
        SimpleUploadedFile(name, content or jpeg_with_gps(), content_type="image/jpeg")
        for name, content in files
    ]

    # When they are sent
    response = post_intake(client, tree.team1, {**form_data(), "photos": uploads})

    # Then nothing is created, the message says why, and the text is kept
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert TEXT in html
    assert "照片需要重新选择" in html
    assert Case.objects.count() == 0
    assert CasePhoto.objects.count() == 0


def png_of(side: int) -> bytes:
    """Return a PNG of ``side`` × ``side`` pixels of one colour: a few kilobytes to decode whole."""
    out = io.BytesIO()
    Image.new("RGB", (side, side), (200, 30, 30)).save(out, "PNG", optimize=True)
    return out.getvalue()


def test_a_tiny_png_of_huge_dimensions_is_refused_before_it_is_decoded(
    client: Client, tree: Tree, media: Any
) -> None:
    # Given a PNG of about 130 KB that would decode to 6300 × 6300 pixels (about 120 MB)
    huge = SimpleUploadedFile("screen.png", png_of(6300), content_type="image/png")

    # When it is sent with a voice
    response = post_intake(client, tree.team1, {**form_data(), "photos": [huge]})

    # Then the voice is refused with a message that says the photo is too large, nothing is kept
    html = response.content.decode()
    assert response.status_code == 400
    assert "照片尺寸过大" in html
    assert TEXT in html
    assert Case.objects.count() == 0


def test_refused_photos_count_against_the_hourly_limit(
    client: Client, tree: Tree, media: Any, settings: Settings
) -> None:
    # Given a limit of two voices per hour
    settings.XINSHENG = {**settings.XINSHENG, "INTAKE_RATE_PER_HOUR": 2}
    here = {"REMOTE_ADDR": "198.51.100.9"}

    # When one client keeps sending photos the server has to refuse
    answers = [
        post_intake(
            client,
            tree.team1,
            {**form_data(), "photos": [SimpleUploadedFile("x.png", png_of(5000))]},
            **here,
        ).status_code
        for _ in range(3)
    ]

    # Then the third attempt is not even looked at
    assert answers == [400, 400, 429]
    assert Case.objects.count() == 0


def test_a_double_tap_makes_one_case_and_shows_the_same_receipt(client: Client, tree: Tree) -> None:
    # Given one filled form
    data = form_data()

    # When it is sent twice (a double tap, or a retry after the network dropped)
    first = post_intake(client, tree.team1, data)
    second = post_intake(client, tree.team1, data)

    # Then there is one case, and both answers show the same number and receipt
    assert first.status_code == second.status_code == 200
    case = Case.objects.get()
    assert case.case_no in second.content.decode()
    assert receipt_of(first) == receipt_of(second)


def test_a_filled_honeypot_gets_a_generic_error_and_creates_nothing(
    client: Client, tree: Tree
) -> None:
    response = post_intake(client, tree.team1, form_data(website="http://spam.example"))

    assert response.status_code == 400
    assert "提交未成功，请稍后重试" in response.content.decode()
    assert Case.objects.count() == 0


def test_submissions_are_rate_limited_per_client(
    client: Client, tree: Tree, settings: Settings
) -> None:
    # Given a limit of two voices per hour
    settings.XINSHENG = {**settings.XINSHENG, "INTAKE_RATE_PER_HOUR": 2}
    here = {"REMOTE_ADDR": "198.51.100.7"}

    # When one client sends three, with a retry of the second in between
    first = post_intake(client, tree.team1, form_data(), **here)
    second_data = form_data()
    second = post_intake(client, tree.team1, second_data, **here)
    retry = post_intake(client, tree.team1, second_data, **here)
    third = post_intake(client, tree.team1, form_data(), **here)

    # Then the retry did not count, the third is refused in Chinese, another client may send
    assert first.status_code == second.status_code == retry.status_code == 200
    assert third.status_code == 429
    assert "操作过于频繁" in third.content.decode()
    assert int(third["Retry-After"]) > 0
    assert Case.objects.count() == 2
    # ... a retry past the limit still gets its receipt back (it is shown nowhere else)
    late_retry = post_intake(client, tree.team1, second_data, **here)
    assert late_retry.status_code == 200
    assert receipt_of(late_retry) == receipt_of(second)
    other = post_intake(client, tree.team1, form_data(), REMOTE_ADDR="198.51.100.8")
    assert other.status_code == 200
    assert Case.objects.count() == 3


def test_a_form_sent_again_with_another_voice_is_refused_and_the_first_stays_private(
    client: Client, tree: Tree
) -> None:
    # Given a voice sent from the form, and the same form (same hidden key) changed and sent again
    data = form_data()
    first = post_intake(client, tree.team1, data)
    code = receipt_of(first)
    changed = {**data, "identity": "named", "name": "李建国", "employee_no": "JT0100"}

    # When the changed form is sent
    response = post_intake(client, tree.team1, {**changed, "text": TEXT + "另外，更衣室也很冷。"})

    # Then nothing is written, the first case's number and code are not shown, and the form
    # comes back as typed with a fresh key, so that sending it again is a new voice
    html = response.content.decode()
    assert response.status_code == 422
    assert "此页面已提交过一条内容不同的诉求" in html
    assert code not in html
    assert Case.objects.get().case_no not in html
    assert Case.objects.count() == 1
    assert "另外，更衣室也很冷" in html
    fresh = intake_key_on(html)
    assert fresh != data["intake_key"]
    again = post_intake(
        client, tree.team1, {**changed, "intake_key": fresh, "text": TEXT + "另外，更衣室也很冷。"}
    )
    assert again.status_code == 200
    assert receipt_of(again) != code
    assert Case.objects.count() == 2
    # ... while the first voice's own retry still gets its receipt, and at another unit the
    # same key is another key
    assert receipt_of(post_intake(client, tree.team1, data)) == code
    elsewhere = post_intake(client, tree.area1, data)
    assert elsewhere.status_code == 200
    assert receipt_of(elsewhere) != code
    assert Case.objects.count() == 3


def test_past_the_limit_a_key_is_let_through_only_at_its_unit(
    client: Client, tree: Tree, settings: Settings
) -> None:
    # Given a client that used its one voice of the hour at team T1
    settings.XINSHENG = {**settings.XINSHENG, "INTAKE_RATE_PER_HOUR": 1}
    here = {"REMOTE_ADDR": "198.51.100.9"}
    data = form_data()
    assert post_intake(client, tree.team1, data, **here).status_code == 200

    # When it sends the same key to another unit, or another voice with it to T1
    elsewhere = post_intake(client, tree.area1, data, **here)
    changed = post_intake(client, tree.team1, {**data, "text": TEXT + "补充一句。"}, **here)

    # Then the limit holds at the other unit, and the changed voice is refused
    assert elsewhere.status_code == 429
    assert changed.status_code == 422
    assert Case.objects.count() == 1


def test_unknown_inactive_disabled_and_rotated_codes_get_a_clear_page(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # An unknown code
    response = client.get(INTAKE_URL.format(code="NOPE"))
    assert response.status_code == 404
    assert "找不到该单位" in response.content.decode()

    # A unit that no longer exists in the organisation
    OrgUnit.objects.filter(pk=tree.mine2.pk).update(is_active=False)
    response = client.get(INTAKE_URL.format(code=tree.mine2.code))
    assert response.status_code == 404

    # A rotated code: the old link is refused, the new one works
    old = services.intake_point_for(tree.team1).token
    new = services.intake_point_set(actor=cast.dispatcher, unit=tree.team1, rotate=True).token
    response = client.get(INTAKE_URL.format(code=tree.team1.code), {"k": old})
    assert response.status_code == 409
    assert "此二维码已更换" in response.content.decode()
    response = post_intake(client, tree.team1, form_data(k=old))
    assert response.status_code == 409
    assert Case.objects.count() == 0
    response = client.get(INTAKE_URL.format(code=tree.team1.code), {"k": new})
    assert response.status_code == 200
    assert f'value="{new}"' in response.content.decode()
    assert post_intake(client, tree.team1, form_data(k=new)).status_code == 200

    # A disabled code
    services.intake_point_set(actor=cast.dispatcher, unit=tree.team1, enabled=False)
    response = client.get(INTAKE_URL.format(code=tree.team1.code), {"k": new})
    assert response.status_code == 409
    assert "意见征集码已停用" in response.content.decode()
    assert post_intake(client, tree.team1, form_data(k=new)).status_code == 409
    assert Case.objects.count() == 1


# --- the follow-up page ---------------------------------------------------------------------------


def test_the_lookup_form_posts_the_code_so_it_never_lands_in_a_url(
    client: Client, db: None
) -> None:
    html = client.get(RECEIPT_URL).content.decode()
    assert 'method="post"' in html
    assert 'name="code"' in html


def test_a_wrong_code_and_a_missing_one_get_the_same_answer(client: Client, tree: Tree) -> None:
    # Given a real case, and codes that do not open it
    submit(tree)
    wrong = look_up(client, "ABCD-EFGH-JKMN-PQRS-TVWX")
    malformed = look_up(client, "hello")
    empty = look_up(client, "")

    # Then all three say the same, with the same status
    for response in (wrong, malformed, empty):
        assert response.status_code == 404
        assert "查询码不正确，请核对后重试" in response.content.decode()


def test_receipt_look_ups_are_rate_limited_and_wrong_codes_count(
    client: Client, tree: Tree, settings: Settings
) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "RECEIPT_RATE_PER_HOUR": 2}
    code = submit(tree).receipt_code

    assert look_up(client, "ABCD-EFGH-JKMN-PQRS-TVW0").status_code == 404
    assert look_up(client, "ABCD-EFGH-JKMN-PQRS-TVW1").status_code == 404
    response = look_up(client, code)

    assert response.status_code == 429
    assert "操作过于频繁" in response.content.decode()


def test_the_follow_up_page_shows_the_timeline_and_the_answer_and_takes_a_rating(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # Given a case answered by area A1
    submitted = answered(tree, cast)

    # When the employee looks it up
    response = look_up(client, submitted.receipt_code)

    # Then the page shows the state, the public timeline and the answer, and the rating form
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert submitted.case.case_no in html
    assert "已答复" in html
    for step in ("已收到", "已受理", "已派单", "承办单位已签收"):
        assert step in html
    assert f"承办单位：{tree.area1.name}" in html
    assert "已安排夜班热饭。" in html
    assert "评价答复" in html
    assert "还可重办2次" in html
    for label in ("满意", "基本满意", "不满意", "已解决", "未解决"):
        assert f"<span>{label}</span>" in html
    # ... never who did it, and never the code in a link
    for user in (cast.dispatcher, cast.handler):
        assert user.person.name not in html
    assert f"?code={submitted.receipt_code}" not in html

    # When they rate it satisfied, through the form
    response = look_up(
        client,
        submitted.receipt_code,
        action="rate",
        satisfaction="satisfied",
        solved="yes",
        comment="很及时",
    )

    # Then the page thanks them and shows the new state; the rating is recorded
    html = response.content.decode()
    assert response.status_code == 200
    assert "感谢您的评价" in html
    assert "已办结" in html
    assert "满意，问题已解决" in html
    assert "评价答复" not in html
    rating = Rating.objects.get()
    assert (rating.satisfaction, rating.solved, rating.comment) == ("satisfied", True, "很及时")
    case = Case.objects.get(pk=submitted.case.pk)
    assert (case.status, case.close_reason) == (CaseStatus.CLOSED, CloseReason.RATED)

    # When the same answer is rated again (a second tap)
    again = look_up(
        client, submitted.receipt_code, action="rate", satisfaction="unsatisfied", solved="no"
    )

    # Then the service's refusal is shown and nothing changes
    assert again.status_code == 409
    assert "您已评价过本次答复" in again.content.decode()
    assert Rating.objects.count() == 1


def test_a_rating_without_a_choice_is_refused_and_kept(
    client: Client, tree: Tree, cast: Cast
) -> None:
    submitted = answered(tree, cast)

    response = look_up(client, submitted.receipt_code, action="rate", comment="还行吧")

    html = response.content.decode()
    assert response.status_code == 400
    assert "请选择满意程度" in html
    assert "请选择问题是否解决" in html
    assert "还行吧" in html
    assert Rating.objects.count() == 0


def test_unsatisfied_reopens_twice_and_the_third_time_goes_to_supervision(
    client: Client, tree: Tree, cast: Cast
) -> None:
    submitted = answered(tree, cast)
    code = submitted.receipt_code
    unhappy = {"action": "rate", "satisfaction": "unsatisfied", "solved": "no"}

    for round_no in (1, 2):
        html = look_up(client, code, **unhappy).content.decode()
        assert "重新办理" in html
        assert f"第{round_no}次重新办理" in html
        assert "承办单位正在办理" in html
        services.case_answer(case=submitted.case, actor=cast.handler, text=f"第{round_no}次答复")

    html = look_up(client, code).content.decode()
    assert "本次如仍不满意，诉求将转交督导组督办" in html
    html = look_up(client, code, **unhappy).content.decode()
    assert "已转交督导组督办" in html
    assert Case.objects.get(pk=submitted.case.pk).escalated


def test_a_merged_case_shows_where_it_went_and_follows_that_answer(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # Given a case merged into another that is then answered
    target = dispatched(tree, cast)
    duplicate = submit(tree, "食堂晚上没有热饭，夜班职工吃不上。")
    services.case_merge(case=duplicate.case, actor=cast.dispatcher, into=target.case)
    services.case_sign(case=target.case, actor=cast.handler)
    services.case_answer(case=target.case, actor=cast.handler, text="夜班食堂延长到凌晨一点。")

    # When the submitter of the duplicate looks it up
    html = look_up(client, duplicate.receipt_code).content.decode()

    # Then it says where it went and shows that case's progress and answer, to be rated
    assert f"已合并至{target.case.case_no}" in html
    assert "食堂晚上没有热饭" in html
    assert "夜班食堂延长到凌晨一点。" in html
    assert "评价答复" in html
    assert "食堂晚班没有热饭" not in html  # the other submitter's text stays theirs

    response = look_up(
        client, duplicate.receipt_code, action="rate", satisfaction="satisfied", solved="yes"
    )
    assert response.status_code == 200
    assert Rating.objects.get().via_case == duplicate.case


def test_a_rejected_case_shows_the_reason(client: Client, tree: Tree, cast: Cast) -> None:
    submitted = submit(tree)
    services.case_reject(
        case=submitted.case, actor=cast.dispatcher, reason="不属于本单位职责范围。"
    )

    html = look_up(client, submitted.receipt_code).content.decode()

    assert "不予受理" in html
    assert "不属于本单位职责范围。" in html
    assert "评价答复" not in html


def test_the_follow_up_page_hides_a_small_team_behind_a_larger_unit(
    client: Client, tree: Tree
) -> None:
    # Given a team with 3 people inside an area with 12, and voices from the team
    PersonFactory.create_batch(3, unit=tree.team1)
    PersonFactory.create_batch(9, unit=tree.area1)
    anonymous = submit(tree)
    named = submit(tree, anonymous=False)

    # Then the anonymous one shows the area as its origin, the named one the team
    html = look_up(client, anonymous.receipt_code).content.decode()
    assert f"反映单位：{tree.area1.name}" in html
    assert tree.team1.name not in html
    html = look_up(client, named.receipt_code).content.decode()
    assert f"反映单位：{tree.team1.name}" in html


def test_the_public_pages_load_only_local_files(client: Client, tree: Tree) -> None:
    code = submit(tree).receipt_code
    for html in (
        client.get(INTAKE_URL.format(code=tree.team1.code)).content.decode(),
        look_up(client, code).content.decode(),
    ):
        assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
        assert sorted(assets) == [
            "/static/xinsheng/photo-preview.js",
            "/static/xinsheng/public.css",
            "/static/xinsheng/public.js",
        ]


def test_internal_notes_stay_off_the_public_page(client: Client, tree: Tree) -> None:
    # Given a case accepted with a note meant for staff
    cast = make_cast(tree)
    submitted = submit(tree)
    category = make_category(code="bath", name="澡堂")
    services.case_accept(
        case=submitted.case, actor=cast.dispatcher, category=category, note="内部备注：重复反映"
    )

    # When its submitter looks it up
    html = look_up(client, submitted.receipt_code).content.decode()

    # Then the step shows, the note does not
    assert "已受理，正在安排承办单位" in html
    assert "内部备注" not in html
