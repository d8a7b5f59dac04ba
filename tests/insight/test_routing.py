"""Text insight inside the platform: similar voices, category and unit suggestions, retraining."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.cases.factories import Cast, make_cast, make_category
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.cases import services
from xinsheng.cases.models import Case, Category
from xinsheng.insight import selectors, similar_store
from xinsheng.insight import services as insight_services
from xinsheng.insight.models import SimilarSnapshot, TrainedModel
from xinsheng.org.choices import Role
from xinsheng.org.models import OrgUnit

BATH = "井口澡堂的热水供应时间太短，夜班下井回来经常没有热水洗澡，希望延长供水时间。"
BATH_TRADITIONAL = "井口澡堂的熱水供應時間太短，夜班下井回來經常沒有熱水洗澡，希望延長供水時間。"
CANTEEN = [
    "食堂晚班没有热饭，希望延长供餐时间。",
    "食堂的饭菜太咸，油也大，希望改进口味。",
    "职工食堂窗口太少，中午排队要二十分钟。",
    "食堂夜宵品种太单一，天天都是面条。",
    "食堂饭菜价格上涨了，分量却变少了。",
]
BUS = [
    "通勤班车早上太挤，很多人站着到矿上。",
    "班车发车时间和交接班时间对不上，经常迟到。",
    "希望增加一趟到新村的通勤班车。",
    "班车司机开得太快，坐着不安全。",
    "夜班下班后没有班车回市区。",
]


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    similar_store.index_reset()
    yield
    similar_store.index_reset()


def voice(unit: OrgUnit, text: str) -> Case:
    return services.case_submit(
        unit=unit,
        kind="demand",
        title="",
        text=text,
        identity=services.Identity(anonymous=True),
    ).case


def labelled(tree: Tree, cast: Cast, rounds: int = 4) -> tuple[Category, Category]:
    canteen = make_category("canteen", "食堂")
    bus = make_category("bus", "通勤班车")
    for round_no in range(rounds):
        for category, texts in ((canteen, CANTEEN), (bus, BUS)):
            for text in texts:
                case = voice(tree.team1, f"{text}（第{round_no + 1}次反映）")
                services.case_accept(case=case, actor=cast.dispatcher, category=category)
    return canteen, bus


def test_a_voice_finds_what_its_company_already_said(tree: Tree) -> None:
    first = voice(tree.team1, BATH)
    voice(tree.mine2, BATH)  # the same words in another company
    found = selectors.similar_voices_at(unit=tree.area1, text=BATH_TRADITIONAL)
    assert [v.case_no for v in found] == [first.case_no]
    assert found[0].similarity >= 0.9
    assert selectors.similar_voices_at(unit=tree.area1, text="矿区道路路灯坏了好几盏。") == []


def test_a_half_typed_voice_finds_its_sibling_and_only_recent_ones(
    tree: Tree, settings: Any
) -> None:
    first = voice(tree.team1, BATH)
    typed = BATH[:19]  # 井口澡堂的热水供应时间太短，夜班下井回: Jaccard about 0.44 to the whole
    assert [v.case_no for v in selectors.similar_voices_at(unit=tree.area1, text=typed)] == [
        first.case_no
    ]
    Case.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(days=120))
    assert selectors.similar_voices_at(unit=tree.area1, text=BATH) == []  # older than 90 days
    settings.XINSHENG = {**settings.XINSHENG, "SIMILAR_PUBLIC_DAYS": 180}
    assert [v.case_no for v in selectors.similar_voices_at(unit=tree.area1, text=BATH)] == [
        first.case_no
    ]


def test_the_public_box_shows_the_answer_once_the_voice_is_answered(tree: Tree) -> None:
    cast = make_cast(tree)
    case = voice(tree.team1, BATH)
    assert selectors.similar_voices_at(unit=tree.area1, text=BATH)[0].answer == ""
    services.case_accept(case=case, actor=cast.dispatcher, category=make_category("bath", "澡堂"))
    services.case_dispatch(case=case, actor=cast.dispatcher, unit=tree.area1)
    services.case_sign(case=case, actor=cast.handler)
    # Accepted and dispatched, not yet answered: no answer to show.
    assert selectors.similar_voices_at(unit=tree.area1, text=BATH)[0].answer == ""
    services.case_answer(
        case=case, actor=cast.handler, text="热水供应已延长到夜里两点。", solved=True
    )
    assert selectors.similar_voices_at(unit=tree.area1, text=BATH)[0].answer == (
        "热水供应已延长到夜里两点。"
    )


def test_a_rejected_voice_is_not_offered(tree: Tree) -> None:
    cast = make_cast(tree)
    case = voice(tree.team1, BATH)
    assert selectors.similar_voices_at(unit=tree.team1, text=BATH)
    services.case_reject(case=case, actor=cast.dispatcher, reason="重复反映。")
    assert selectors.similar_voices_at(unit=tree.team1, text=BATH) == []


def test_the_public_lookup_shows_no_text_and_no_person(tree: Tree, client: Client) -> None:
    services.case_submit(
        unit=tree.team1,
        kind="demand",
        title="澡堂热水",
        text=BATH,
        identity=services.Identity(
            anonymous=False, name="王强", employee_no="JT0000001", phone="13900001111"
        ),
    )
    response = client.get(reverse("api-similar", args=["T1"]), {"text": BATH})
    assert response.status_code == 200
    body = response.content.decode()
    assert "澡堂热水" in body
    for private in ("王强", "JT0000001", "13900001111", "夜班下井"):
        assert private not in body
    assert client.get(reverse("api-similar", args=["NOPE"]), {"text": BATH}).status_code == 404


def test_a_new_process_starts_from_the_snapshot(tree: Tree, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    first = voice(tree.team1, BATH)
    snapshot = similar_store.snapshot_write()
    assert SimilarSnapshot.objects.count() == 1
    assert snapshot.size == 1
    assert (tmp_path / snapshot.file.name).is_file()
    similar_store.index_reset()
    later = voice(tree.team1, "澡堂热水时间太短了，夜班下井回来经常没有热水洗澡，希望延长。")
    found = {v.case_no for v in selectors.similar_voices_at(unit=tree.team1, text=BATH)}
    assert found == {first.case_no, later.case_no}


def test_keywords_suggest_a_category_before_any_model(tree: Tree) -> None:
    cast = make_cast(tree)
    canteen = make_category("canteen", "食堂")
    Category.objects.filter(pk=canteen.pk).update(keywords="食堂\n饭菜\n就餐")
    case = voice(tree.team1, "食堂的饭菜越来越差，就餐环境也不好。")
    suggestion = selectors.suggestion_for(actor=cast.dispatcher, case=case)
    assert suggestion is not None
    assert (suggestion.category, suggestion.source) == (canteen, "rules")
    assert suggestion.confidence > 0.5
    assert selectors.suggestion_for(actor=cast.handler, case=case) is None


def test_the_unit_suggested_is_where_similar_voices_were_answered_well(tree: Tree) -> None:
    cast = make_cast(tree)
    bath = make_category("bath", "澡堂", days=3)
    submitted = services.case_submit(
        unit=tree.team1, kind="demand", title="", text=BATH,
        identity=services.Identity(anonymous=True),
    )  # fmt: skip
    earlier = submitted.case
    services.case_accept(case=earlier, actor=cast.dispatcher, category=bath)
    services.case_dispatch(case=earlier, actor=cast.dispatcher, unit=tree.area1)
    again = voice(tree.team1, BATH_TRADITIONAL)
    # Dispatched but not yet answered to anyone's satisfaction: it proves nothing.
    suggestion = selectors.suggestion_for(actor=cast.dispatcher, case=again)
    assert suggestion is not None
    assert suggestion.unit_basis != "similar"
    services.case_sign(case=earlier, actor=cast.handler)
    services.case_answer(case=earlier, actor=cast.handler, text="已修好热水器。", solved=True)
    services.case_rate(receipt_code=submitted.receipt_code, satisfaction="satisfied", solved=True)
    suggestion = selectors.suggestion_for(actor=cast.dispatcher, case=again)
    assert suggestion is not None
    assert (suggestion.unit, suggestion.unit_basis) == (tree.area1, "similar")


def test_routing_never_suggests_a_unit_outside_the_cases_company(tree: Tree) -> None:
    make_cast(tree)
    bath = make_category("bath", "澡堂", days=3)
    group_dispatcher = make_staff(tree.group, Role.DISPATCHER)
    # The bathhouse voices so far came from the second company and went to its mine.
    for _ in range(3):
        other = voice(tree.mine2, BATH)
        services.case_accept(case=other, actor=group_dispatcher, category=bath)
        services.case_dispatch(case=other, actor=group_dispatcher, unit=tree.mine2)
    case = voice(tree.team1, BATH_TRADITIONAL)
    suggestion = selectors.suggestion_for(actor=group_dispatcher, case=case)
    assert suggestion is not None
    assert suggestion.unit is None or suggestion.unit.path.startswith(tree.company1.path)


def test_a_model_trained_on_confirmed_categories_takes_over(tree: Tree) -> None:
    cast = make_cast(tree)
    canteen, _bus = labelled(tree, cast)
    first = insight_services.model_train(actor=cast.admin)
    assert (first.version, first.is_active) == (1, True)
    assert first.macro_f1 is not None
    assert first.macro_f1 >= 0.8
    case = voice(tree.team1, "食堂中午的饭菜又凉又咸。")
    suggestion = selectors.suggestion_for(actor=cast.dispatcher, case=case)
    assert suggestion is not None
    assert (suggestion.category, suggestion.source) == (canteen, "model")
    second = insight_services.model_train(actor=None)  # the same data: not worse, so it replaces
    assert second.is_active
    assert list(TrainedModel.objects.filter(is_active=True)) == [second]
    assert second.previous_macro_f1 is not None


def test_training_needs_labels_and_the_right_role(tree: Tree) -> None:
    cast = make_cast(tree)
    with pytest.raises(insight_services.InvalidInput):
        insight_services.model_train(actor=cast.admin)
    with pytest.raises(insight_services.Forbidden):
        insight_services.model_train(actor=cast.dispatcher)


def test_the_models_page_retrains_on_demand(tree: Tree, client: Client) -> None:
    cast = make_cast(tree)
    labelled(tree, cast)
    client.force_login(cast.admin)
    response = client.post(reverse("insight:retrain"), follow=True)
    assert response.status_code == 200
    assert "v1" in response.content.decode()
    client.force_login(cast.dispatcher)
    assert client.get(reverse("insight:models")).status_code == 403


def test_the_suggestion_api_answers_dispatchers_only(tree: Tree, client: Client) -> None:
    cast = make_cast(tree)
    canteen = make_category("canteen", "食堂")
    Category.objects.filter(pk=canteen.pk).update(keywords="食堂")
    case = voice(tree.team1, "食堂的饭菜太咸了，希望改进。")
    client.force_login(cast.dispatcher)
    body = client.get(reverse("api-suggestion", args=[case.case_no])).json()
    assert body["category"] == {"code": "canteen", "name": "食堂"}
    client.force_login(cast.handler)
    assert client.get(reverse("api-suggestion", args=[case.case_no])).status_code == 404


def test_the_dispatcher_takes_the_suggestion_in_one_click(tree: Tree, client: Client) -> None:
    cast = make_cast(tree)
    bath = make_category("bath", "澡堂", days=3)
    Category.objects.filter(pk=bath.pk).update(keywords="澡堂\n热水")
    earlier = voice(tree.team1, BATH)
    services.case_accept(case=earlier, actor=cast.dispatcher, category=bath)
    services.case_dispatch(case=earlier, actor=cast.dispatcher, unit=tree.area1)
    case = voice(tree.team1, BATH_TRADITIONAL)
    client.force_login(cast.dispatcher)
    page = client.get(reverse("cases:detail", args=[case.case_no])).content.decode()
    card_url = reverse("insight:case_suggestion", args=[case.case_no])
    assert card_url in page
    card = client.get(card_url).content.decode()
    assert "按“澡堂”受理" in card
    assert earlier.case_no in card
    client.post(
        reverse("cases:act", args=[case.case_no, "accept"]),
        {"category": "bath", "urgency": "normal"},
    )
    card = client.get(card_url).content.decode()
    assert "派给综采一区" in card
    deadline = card.split('name="deadline" value="')[1].split('"')[0]
    client.post(
        reverse("cases:act", args=[case.case_no, "dispatch"]),
        {"unit": "A1", "deadline": deadline},
    )
    case.refresh_from_db()
    assert (case.category, case.responsible_unit) == (bath, tree.area1)
    client.force_login(cast.handler)
    assert client.get(card_url).content == b""


def test_the_public_form_asks_for_similar_voices(tree: Tree, client: Client) -> None:
    page = client.get(reverse("public:intake", args=["T1"])).content.decode()
    assert reverse("api-similar", args=["T1"]) in page


def test_a_duplicate_is_merged_from_the_suggestion_card(tree: Tree, client: Client) -> None:
    cast = make_cast(tree)
    earlier = voice(tree.team1, BATH)
    again = voice(tree.team1, BATH_TRADITIONAL)
    client.force_login(cast.dispatcher)
    card = client.get(reverse("insight:case_suggestion", args=[again.case_no])).content.decode()
    assert "合并到这一条" in card
    client.post(reverse("cases:act", args=[again.case_no, "merge"]), {"into": earlier.case_no})
    again.refresh_from_db()
    assert again.merged_into == earlier
