"""The ledger (台账): cases in scope, filters, and keyset pages that never skip or repeat."""

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.cases.factories import Cast, dispatched, make_cast, make_category
from tests.conftest import Tree
from tests.org.factories import PersonFactory, make_staff, make_unit
from xinsheng.cases import services, views
from xinsheng.cases.ledger import keyset as ledger
from xinsheng.cases.models import Case
from xinsheng.cases.services import Identity
from xinsheng.org.models import OrgUnit

LEDGER = reverse("cases:ledger")
CASE_NO = re.compile(r">(\d{4}-\d{6})</a>")
LINK = re.compile(r'<a href="(?P<href>[^"]+)"[^>]*rel="(?P<rel>next|prev)"')


@pytest.fixture
def cast(tree: Tree) -> Cast:
    return make_cast(tree)


def page(client: Client, user: User, url: str = LEDGER, **params: Any) -> str:
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def case_nos(text: str) -> list[str]:
    """Return the case numbers listed in the ledger table, in order."""
    return CASE_NO.findall(text)


def link(text: str, rel: str) -> str | None:
    """Return the URL of the ledger's "next" or "prev" link, or None when there is none."""
    for match in LINK.finditer(text):
        if match["rel"] == rel:
            return LEDGER + html.unescape(match["href"])
    return None


def voice(unit: OrgUnit, text: str, kind: str = "demand") -> Case:
    """Return a new anonymous case from ``unit``."""
    return services.case_submit(
        unit=unit, kind=kind, title="", text=text, identity=Identity(anonymous=True)
    ).case


def sweep_two_months_later() -> None:
    """Run the deadline sweep as it will run in two months: dispatched cases are overdue."""
    services.cases_mark_overdue(today=timezone.localdate() + dt.timedelta(days=60))


# --- Scope ------------------------------------------------------------------------------------


def test_a_dispatcher_sees_only_the_cases_of_their_company(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given a voice from each company
    ours = voice(tree.team1, "食堂晚班没有热饭。")
    theirs = voice(tree.mine2, "二矿通勤班车太挤。")
    # when the dispatcher of the first company opens the ledger
    text = page(client, cast.dispatcher)
    # then they see their company's case only
    assert case_nos(text) == [ours.case_no]
    assert theirs.case_no not in text
    assert "二矿通勤班车太挤" not in text
    # while the group's administrator sees both, newest first
    assert case_nos(page(client, cast.admin)) == [theirs.case_no, ours.case_no]


def test_a_row_has_the_standard_columns_and_marks_overdue(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given a dispatched case past its deadline, supervised once
    case = dispatched(tree, cast).case
    sweep_two_months_later()
    services.case_supervise(case=case, actor=cast.supervisor, text="请尽快办理。")
    # when the dispatcher opens the ledger
    text = page(client, cast.dispatcher)
    # then the row shows channel, kind, category, unit, deadline, status marked overdue and
    # supervised once
    case.refresh_from_db()
    for shown in ["扫码", "诉求", "食堂", "综采一区", "已派单", "超期", case.deadline.isoformat()]:
        assert shown in text
    assert "督办1次" in text


def test_an_anonymous_voice_from_a_small_team_shows_a_larger_unit(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given an anonymous voice from a team of a handful of people
    voice(tree.team1, "班组长分配任务不公平。")
    # when the dispatcher opens the ledger, the team is not named, a larger unit is
    text = page(client, cast.dispatcher)
    assert "综采一区一班" not in text
    assert "示范煤业集团" in text
    # and the administrator sees the team itself
    assert "综采一区一班" in page(client, cast.admin)


def test_the_ledger_asks_for_login(client: Client, tree: Tree) -> None:
    response = client.get(LEDGER)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_htmx_gets_the_table_only(client: Client, tree: Tree, cast: Cast) -> None:
    case = voice(tree.team1, "澡堂热水不够用。")
    client.force_login(cast.dispatcher)
    response = client.get(LEDGER, headers={"HX-Request": "true", "HX-Target": "ledger-table"})
    text = response.content.decode()
    assert "<html" not in text
    assert 'id="ledger-table"' in text
    assert case.case_no in text


# --- Filters ----------------------------------------------------------------------------------


@pytest.fixture
def varied(tree: Tree, cast: Cast) -> dict[str, Case]:
    """Cases that differ in unit, status, kind, channel, category, overdue and date."""
    old = voice(tree.team1, "去年的停车位问题。", kind="suggestion")
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    late = dispatched(tree, cast, make_category("bus", "通勤班车")).case
    sweep_two_months_later()
    accepted = voice(tree.mine1, "井口更衣室太冷，希望加装暖气。", kind="complaint")
    services.case_accept(case=accepted, actor=cast.dispatcher, category=make_category())
    heard = services.case_record(
        actor=cast.recorder,
        unit=tree.area1,
        channel="hotline",
        kind="consultation",
        title="",
        text="子女入学的补助怎么申请？",
        identity=Identity(anonymous=True),
    ).case
    other = voice(tree.mine2, "二矿食堂饭菜太咸。")
    return {"old": old, "late": late, "accepted": accepted, "heard": heard, "other": other}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"unit": "M1"}, {"late", "accepted", "heard", "old"}),
        ({"unit": "A1"}, {"late", "heard", "old"}),
        ({"unit": "M2"}, {"other"}),
        ({"unit": "综采一区"}, {"late", "heard", "old"}),  # a unit named, as the picker sends it
        ({"unit": "一矿 › 综采一区", "unit_choice": "A1"}, {"late", "heard", "old"}),
        ({"status": ["accepted", "dispatched"]}, {"late", "accepted"}),
        ({"status": "submitted"}, {"old", "heard", "other"}),
        ({"kind": "complaint"}, {"accepted"}),
        ({"kind": "suggestion"}, {"old"}),
        ({"channel": "hotline"}, {"heard"}),
        ({"category": "bus"}, {"late"}),
        ({"category": "canteen"}, {"accepted"}),
        ({"overdue": "on"}, {"late"}),
        ({"q": "暖气"}, {"accepted"}),
        ({"q": "食堂"}, {"late", "other"}),
    ],
)
def test_each_filter_narrows_the_ledger(
    client: Client, cast: Cast, varied: dict[str, Case], params: dict[str, Any], expected: set[str]
) -> None:
    text = page(client, cast.admin, **params)
    names = {name for name, case in varied.items() if case.case_no in case_nos(text)}
    assert names == expected


def test_date_range_and_case_number_filters(
    client: Client, cast: Cast, varied: dict[str, Case]
) -> None:
    today = timezone.localdate()
    recent = page(client, cast.admin, date_from=(today - dt.timedelta(days=7)).isoformat())
    assert varied["old"].case_no not in case_nos(recent)
    assert len(case_nos(recent)) == 4
    old = page(client, cast.admin, date_to=(today - dt.timedelta(days=30)).isoformat())
    assert case_nos(old) == [varied["old"].case_no]
    by_number = page(client, cast.admin, q=varied["heard"].case_no)
    assert case_nos(by_number) == [varied["heard"].case_no]


def test_the_ledger_says_how_many_cases_its_filters_hold(
    client: Client, cast: Cast, varied: dict[str, Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "共 5 件诉求" in page(client, cast.admin)
    assert "共 3 件诉求" in page(client, cast.admin, unit="A1")
    # counting stops at the cap: beyond it the ledger says "more than"
    monkeypatch.setattr(views, "TOTAL_CAP", 4)
    text = page(client, cast.admin)
    assert "超过 4 件诉求" in text
    assert "共 5 件" not in text


def test_the_total_counts_only_the_cases_in_sight(
    client: Client, cast: Cast, varied: dict[str, Case]
) -> None:
    # the group's administrator sees every case; the first company's dispatcher fewer
    assert "共 5 件诉求" in page(client, cast.admin)
    text = page(client, cast.dispatcher)
    shown = case_nos(text)
    assert 0 < len(shown) < 5
    assert f"共 {len(shown)} 件诉求" in text
    assert f"共 {len(case_nos(page(client, cast.dispatcher, kind='demand')))} 件" in page(
        client, cast.dispatcher, kind="demand"
    )


def test_filters_keep_to_the_scope(client: Client, cast: Cast, varied: dict[str, Case]) -> None:
    # the dispatcher of the first company cannot reach the second through the unit box
    text = page(client, cast.dispatcher, unit="M2")
    assert case_nos(text) == []
    assert "不在您的查看范围内" in text
    assert "二矿食堂饭菜太咸" not in text


def test_bad_filters_say_what_is_wrong(client: Client, cast: Cast, varied: dict[str, Case]) -> None:
    text = page(client, cast.admin, unit="NOPE", date_from="2025-05-02", date_to="2025-05-01")
    assert "找不到单位“NOPE”" in text
    assert "结束日期不能早于开始日期" in text
    assert case_nos(text) == []


def test_the_filters_stay_in_the_page_links(
    tree: Tree, client: Client, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(5):
        voice(tree.team1, f"第{n}条关于食堂的意见。", kind="suggestion")
    voice(tree.team1, "一条关于停车的诉求。")
    first = page(client, cast.admin, kind="suggestion")
    following = link(first, "next")
    assert following is not None
    assert "kind=suggestion" in following
    rest = page(client, cast.admin, following)
    assert len(case_nos(rest)) == 2
    assert "停车" not in rest


# --- Keyset pages -----------------------------------------------------------------------------


def walk(
    client: Client, user: User, url: str, rel: str = "next", between: Any = None
) -> list[list[str]]:
    """Return the case numbers of every page met following ``rel`` links from ``url``.

    ``between`` is called after each page, before the next one is asked for.
    """
    pages: list[list[str]] = []
    next_url: str | None = url
    while next_url is not None:
        text = page(client, user, next_url)
        pages.append(case_nos(text))
        if between is not None:
            between()
        next_url = link(text, rel)
    return pages


def test_pages_cover_every_case_once_while_new_ones_arrive(
    client: Client, tree: Tree, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given seven cases and pages of three
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    existing = [voice(tree.team1, f"第{n}条意见，关于班车。").case_no for n in range(7)]
    arrivals: list[str] = []

    def a_new_voice_arrives() -> None:
        arrivals.append(voice(tree.team1, "翻页之间新来的意见。").case_no)

    # when the dispatcher reads page after page, with new voices arriving between clicks
    pages = walk(client, cast.dispatcher, LEDGER, between=a_new_voice_arrives)
    seen = [no for p in pages for no in p]
    # then every case there at the start is met exactly once, newest first, none twice
    assert seen == list(reversed(existing))
    assert len(set(seen)) == len(seen)
    assert not set(arrivals) & set(seen)


def test_pages_by_deadline_with_ties_and_cases_without_one(
    client: Client, tree: Tree, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given cases sharing deadlines, and cases not yet dispatched (no deadline)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    today = timezone.localdate()
    deadlines = [today + dt.timedelta(days=d) for d in (3, 1, 3, 2, 1)] + [None, None]
    cases = []
    for n, deadline in enumerate(deadlines):
        case = voice(tree.team1, f"按时限排序的第{n}条意见。")
        Case.objects.filter(pk=case.pk).update(deadline=deadline)
        cases.append((deadline or dt.date.max, case.pk, case.case_no))
    expected = [case_no for _deadline, _pk, case_no in sorted(cases)]
    # when the ledger is sorted by deadline and read forwards
    forwards = walk(client, cast.dispatcher, f"{LEDGER}?sort=deadline")
    # then the order is soonest first, ties in order of entry, cases without a deadline last
    assert [len(p) for p in forwards] == [2, 2, 2, 1]
    assert [no for p in forwards for no in p] == expected
    # and reading backwards from the last page gives the same pages in reverse
    last = page(client, cast.dispatcher, f"{LEDGER}?sort=deadline&cursor=x")
    assert case_nos(last) == expected[:2]  # a bad cursor starts again at the top
    url: str | None = f"{LEDGER}?sort=deadline"
    while url is not None:
        text = page(client, cast.dispatcher, url)
        url = link(text, "next")
    back = link(text, "prev")
    assert back is not None
    assert walk(client, cast.dispatcher, back, rel="prev") == forwards[-2::-1]


def test_going_back_to_the_start_shows_a_full_first_page(tree: Tree, cast: Cast) -> None:
    # given five cases read three at a time
    for n in range(5):
        voice(tree.team1, f"第{n}条关于澡堂的意见。")
    cases = services.Case.objects.all()
    first = ledger.page_of(cases, sort=ledger.NEWEST, cursor=None, size=3)
    assert first.next_cursor is not None
    assert first.previous_cursor is None
    second = ledger.page_of(
        cases,
        sort=ledger.NEWEST,
        cursor=ledger.cursor_load(first.next_cursor, sort=ledger.NEWEST),
        size=3,
    )
    assert len(second.rows) == 2
    assert second.next_cursor is None
    assert second.previous_cursor is not None
    # when the user goes back
    back = ledger.page_of(
        cases,
        sort=ledger.NEWEST,
        cursor=ledger.cursor_load(second.previous_cursor, sort=ledger.NEWEST),
        size=3,
    )
    # then they get the first page again
    assert [c.pk for c in back.rows] == [c.pk for c in first.rows]
    assert back.previous_cursor is None


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-3] + "abc",  # a changed signature
        lambda token: signing.dumps({"s": "newest", "f": True, "k": ["x", 1]}),  # wrong key
        lambda token: "not-a-cursor",
        lambda token: signing.dumps(
            {"s": "newest", "f": True, "k": ["1 OR 1=1", 1]}, salt=ledger.SALT
        ),
    ],
)
def test_a_forged_cursor_shows_the_first_page_with_a_notice(
    client: Client, tree: Tree, cast: Cast, monkeypatch: pytest.MonkeyPatch, forge: Any
) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    numbers = [voice(tree.team1, f"第{n}条关于劳保用品的意见。").case_no for n in range(3)]
    token = ledger.cursor_dump(ledger.Cursor(ledger.NEWEST, True, ("2020-01-01T00:00:00", 1)))
    text = page(client, cast.dispatcher, cursor=forge(token))
    assert "翻页链接无效，已显示第一页" in text
    assert case_nos(text) == [numbers[2], numbers[1]]


def test_a_cursor_of_another_sort_is_refused(client: Client, tree: Tree, cast: Cast) -> None:
    voice(tree.team1, "一条关于培训的意见。")
    token = ledger.cursor_dump(ledger.Cursor(ledger.NEWEST, True, ("2020-01-01T00:00:00", 1)))
    text = page(client, cast.dispatcher, sort="deadline", cursor=token)
    assert "翻页链接无效" in text
    assert len(case_nos(text)) == 1


# --- Navigation -------------------------------------------------------------------------------


def test_navigation_shows_the_case_pages_each_role_may_use(
    client: Client, tree: Tree, cast: Cast
) -> None:
    dispatcher = page(client, cast.dispatcher)
    assert f'href="{reverse("cases:dispatcher_inbox")}"' in dispatcher
    assert f'href="{reverse("cases:notebook")}"' in dispatcher
    handler = page(client, cast.handler)
    assert f'href="{LEDGER}"' in handler
    assert f'href="{reverse("cases:dispatcher_inbox")}"' not in handler
    assert f'href="{reverse("cases:notebook")}"' not in handler
    nobody = make_staff(tree.area1)
    text = page(client, nobody, reverse("home"))
    assert f'href="{LEDGER}"' not in text


def test_categories_show_their_english_name_in_english(
    client: Client, tree: Tree, cast: Cast
) -> None:
    category = make_category("bus", "通勤班车")
    category.english_name = "Commuter buses"
    category.save()
    dispatched(tree, cast, category)
    client.force_login(cast.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(LEDGER).content.decode()
    assert "<td>Commuter buses</td>" in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = client.get(LEDGER).content.decode()
    assert "<td>通勤班车</td>" in chinese


# --- What a page costs --------------------------------------------------------------------------


def ledger_statements(client: Client, user: User) -> tuple[int, str]:
    """Return how many statements the ledger's first page takes, and the page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    client.get(LEDGER)  # the session and what is looked up once
    with CaptureQueriesContext(connection) as queries:
        text = client.get(LEDGER).content.decode()
    return len(queries.captured_queries), text


def test_the_ledgers_statements_do_not_grow_with_its_rows(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given a few cases of every sort: dispatched with a category, anonymous, named
    def some_cases() -> list[Case]:
        return [
            dispatched(tree, cast).case,
            voice(tree.team1, "澡堂热水不够用。"),
            services.case_submit(
                unit=tree.area1,
                kind="suggestion",
                title="",
                text="建议增开夜班通勤车。",
                identity=Identity(anonymous=False, name="王强", employee_no="JT0000001"),
            ).case,
        ]

    few = some_cases()
    before, text = ledger_statements(client, cast.dispatcher)
    assert sorted(case_nos(text)) == sorted(c.case_no for c in few)
    # when ten times as many are listed
    many = few + [case for _ in range(10) for case in some_cases()]
    after, text = ledger_statements(client, cast.dispatcher)
    # then every one is shown, and the page takes no more statements than before
    assert sorted(case_nos(text)) == sorted(c.case_no for c in many)
    assert after == before


def test_anonymous_origins_cost_the_same_statements_from_any_number_of_units(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given enough people in 综采一区 to be named, and an empty area beside it in the same mine
    for _ in range(settings.XINSHENG["SMALL_UNIT_THRESHOLD"]):
        PersonFactory(unit=tree.area1)
    area2 = make_unit(tree.mine1, name="综掘二区")
    # and an anonymous voice from one small team
    voice(tree.team1, "澡堂热水不够用。")
    before, text = ledger_statements(client, cast.dispatcher)
    assert "<td>综采一区</td>" in text
    # when anonymous voices come from four more small teams, two in each area
    teams = [
        make_unit(area, name=f"{area.name}{n}班") for area in (tree.area1, area2) for n in "二三"
    ]
    for team in teams:
        voice(team, "班组长分配任务不公平。")
    after, text = ledger_statements(client, cast.dispatcher)
    # then the dispatcher sees no team named: the area with enough people, else the mine
    assert not any(f"<td>{team.name}</td>" in text for team in teams)
    assert text.count("<td>综采一区</td>") == 3
    assert text.count("<td>一矿</td>") == 2
    # and the page takes no more statements than with one team
    assert after == before


def test_the_ledger_reads_its_page_and_total_in_one_statement(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given cases of every sort, seen by the group's administrator
    cases = [
        dispatched(tree, cast).case,
        voice(tree.team1, "澡堂热水不够用。"),
        voice(tree.team1, "建议增开夜班通勤车。", kind="suggestion"),
    ]
    # when the administrator opens the ledger
    statements, text = ledger_statements(client, cast.admin)
    # then every case is listed with the total
    assert sorted(case_nos(text)) == sorted(c.case_no for c in cases)
    assert "共 3 件诉求" in text
    # in at most: session, user, categories, roles (with the person), the page and its total
    assert statements <= 5


def test_the_filters_show_the_categories_and_choices_of_the_moment(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given the ledger shown once with a category
    make_category("canteen", "食堂")
    client.force_login(cast.dispatcher)
    first = client.get(LEDGER).content.decode()
    assert '<option value="canteen">食堂</option>' in first
    # when the category is renamed and another added
    renamed = make_category("canteen")
    renamed.name = "食堂与餐饮"
    renamed.save()
    make_category("bus", "通勤班车")
    text = client.get(LEDGER).content.decode()
    # then the filter offers them as they are now
    assert '<option value="canteen">食堂与餐饮</option>' in text
    assert '<option value="bus">通勤班车</option>' in text
    # and the choices made stay chosen on the next page only
    chosen = client.get(LEDGER, {"category": "bus", "status": "closed"}).content.decode()
    assert '<option value="bus" selected>通勤班车</option>' in chosen
    assert re.search(r'<input type="checkbox" name="status" value="closed"[^>]* checked>', chosen)
    plain = client.get(LEDGER).content.decode()
    assert "selected>通勤班车" not in plain
    assert not re.search(r'value="closed"[^>]* checked>', plain)


def test_a_title_is_shown_as_text_not_markup(client: Client, tree: Tree, cast: Cast) -> None:
    case = services.case_submit(
        unit=tree.team1,
        kind="demand",
        title='<script>alert("x")</script> & 食堂',
        text="食堂晚班没有热饭。",
        identity=Identity(anonymous=True),
    ).case
    text = page(client, cast.dispatcher)
    assert case.case_no in text
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 食堂" in text


# --- The rows as written ------------------------------------------------------------------------


def test_rows_are_written_with_every_column_escaped_labelled_and_marked(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given a dispatched case past its deadline, supervised twice, whose title holds markup
    late = dispatched(tree, cast).case
    Case.objects.filter(pk=late.pk).update(title='<b>"热饭"</b> & 夜班')
    sweep_two_months_later()
    for _time in range(2):
        services.case_supervise(case=late, actor=cast.supervisor, text="请尽快办理。")
    # and a named voice whose employee number belongs to nobody, with no category or unit yet
    doubtful = services.case_submit(
        unit=tree.area1,
        kind="suggestion",
        title="",
        text="建议增开夜班通勤车。",
        identity=Identity(anonymous=False, name="王强", employee_no="JT9999999"),
    ).case
    late.refresh_from_db()
    doubtful.refresh_from_db()

    def row(case: Case, cells: str, *, overdue: bool = False) -> str:
        created = timezone.localtime(case.created_at)
        href = reverse("cases:detail", args=[case.case_no])
        start = '<tr class="overdue">' if overdue else "<tr>"
        return (
            f"{start}"
            f'<td class="nowrap"><a href="{href}">{case.case_no}</a></td>'
            f'<td><span class="nowrap">{created:%Y-%m-%d}</span> '
            f'<span class="nowrap">{created:%H:%M}</span></td>'
            f"{cells}</tr>"
        ).replace("HREF", href)

    # when the administrator opens the ledger, in Chinese and in English
    client.force_login(cast.admin)
    chinese = client.get(LEDGER).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(LEDGER).content.decode()
    # then each row is written as the table's columns, every text escaped, each label and mark
    # in the language of the page
    deadline = late.deadline.isoformat()
    title = "&lt;b&gt;&quot;热饭&quot;&lt;/b&gt; &amp; 夜班"
    assert (
        row(
            late,
            '<td>诉求<br><span class="muted small">扫码</span></td>'
            f'<td class="title"><a href="HREF">{title}</a></td>'
            f"<td>综采一区一班</td><td>食堂</td><td>综采一区</td>"
            f'<td class="nowrap">{deadline}</td>'
            '<td><span class="status status-dispatched">已派单</span>'
            ' <span class="badge overdue">超期</span>'
            ' <span class="badge overdue">督办2次</span></td>',
            overdue=True,
        )
        in chinese
    )
    assert (
        row(
            doubtful,
            '<td>建议<br><span class="muted small">扫码</span></td>'
            f'<td class="title"><a href="HREF">{html.escape(doubtful.title)}</a>'
            ' <span class="badge warn submitter-unverified">未核实：工号不存在</span></td>'
            "<td>综采一区</td><td>—</td><td>—</td>"
            '<td class="nowrap">—</td>'
            '<td><span class="status status-submitted">待受理</span></td>',
        )
        in chinese
    )
    assert (
        row(
            late,
            '<td>Demand<br><span class="muted small">QR code</span></td>'
            f'<td class="title"><a href="HREF">{title}</a></td>'
            f"<td>综采一区一班</td><td>食堂</td><td>综采一区</td>"
            f'<td class="nowrap">{deadline}</td>'
            '<td><span class="status status-dispatched">Dispatched</span>'
            ' <span class="badge overdue">Overdue</span>',
            overdue=True,
        ).removesuffix("</tr>")
        in english
    )


def test_what_the_ledger_keeps_between_requests_follows_each_users_scope(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given a voice from each company
    ours = voice(tree.team1, "食堂晚班没有热饭。")
    theirs = voice(tree.mine2, "二矿通勤班车太挤。")
    # when the administrator has read the ledger and both case pages, with and without filters
    for query in ({}, {"status": "submitted"}):
        assert set(case_nos(page(client, cast.admin, **query))) == {ours.case_no, theirs.case_no}
    for case in (ours, theirs):
        assert client.get(reverse("cases:detail", args=[case.case_no])).status_code == 200
    # then the dispatcher of the first company still sees only their company's voice
    for query in ({}, {"status": "submitted"}):
        text = page(client, cast.dispatcher, **query)
        assert case_nos(text) == [ours.case_no]
        assert "共 1 件诉求" in text
    assert client.get(reverse("cases:detail", args=[ours.case_no])).status_code == 200
    assert client.get(reverse("cases:detail", args=[theirs.case_no])).status_code == 404


def test_the_filter_form_is_shown_in_the_language_of_the_page(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given the ledger shown in Chinese with a filter
    client.force_login(cast.dispatcher)
    chinese = client.get(LEDGER, {"kind": "demand"}).content.decode()
    assert "<span>关键词</span>" in chinese
    assert '<option value="demand" selected>诉求</option>' in chinese
    # when the same filters are asked for in English, and again in Chinese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(LEDGER, {"kind": "demand"}).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    again = client.get(LEDGER, {"kind": "demand"}).content.decode()
    # then each shows the form in its own language, with the filter chosen
    assert "<span>Keywords</span>" in english
    assert '<option value="demand" selected>Demand</option>' in english
    assert "关键词" not in english
    assert "<span>关键词</span>" in again
    assert '<option value="demand" selected>诉求</option>' in again
    assert "Keywords" not in again
