"""The staff pages of briefings: generate, edit the text, download Word, print — within scope."""

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document

from tests.cases.factories import answered, make_cast, submit
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.cases import services
from xinsheng.cases.models import Category
from xinsheng.core.models import AuditEvent
from xinsheng.core.periods import CUSTOM, MONTH, Period, period_of
from xinsheng.core.ratings import Satisfaction
from xinsheng.org.choices import Role
from xinsheng.reports import figures, metrics
from xinsheng.reports.briefing_models import Briefing


@pytest.fixture
def cases(tree: Tree) -> Tree:
    """Two cases of company C1 this month: one answered and rated solved, one waiting."""
    cast = make_cast(tree)
    done = answered(tree, cast)
    services.case_rate(
        receipt_code=done.receipt_code, satisfaction=Satisfaction.SATISFIED, solved=True
    )
    submit(tree, "更衣室柜子不够用。")
    figures.figures_refresh()
    return tree


def _leader(unit: Any) -> User:
    return make_staff(unit, Role.LEADER)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _generate(client: Client, unit_code: str, **fields: str) -> Any:
    data = {"unit": unit_code, "period": MONTH, "date": timezone.localdate().isoformat()}
    return client.post(reverse("reports:briefing_new"), {**data, **fields})


def test_a_leader_generates_edits_and_downloads_a_briefing(cases: Tree) -> None:
    client = _client(_leader(cases.company1))
    # Given the generation form
    page = client.get(reverse("reports:briefing_new"))
    assert page.status_code == 200
    assert "生成简报" in page.content.decode()
    # When the leader generates the briefing of the company for this month
    response = _generate(client, "C1")
    briefing = Briefing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:briefing_detail", args=[briefing.pk])
    # Then it holds the dashboard's figures of the company's subtree
    period = period_of(MONTH, timezone.localdate())
    dashboard = metrics.figures_compared(cases.company1, period)
    assert briefing.figures["current"] == dashboard.current.as_dict()
    assert briefing.figures["current"]["counts"]["received"] == 2
    assert briefing.title == f"第一煤业公司{period.label()}职工诉求工作简报"
    assert AuditEvent.objects.filter(action="briefing.create", object_id=str(briefing.pk)).exists()
    # And the page shows the text to edit and the figures table
    page = client.get(response["Location"])
    html = page.content.decode()
    assert briefing.paragraphs[0] in html
    assert "收到诉求（件）" in html
    assert "响应率" in html

    # When the text is edited and saved
    response = client.post(
        response["Location"],
        {"title": "第一煤业公司十月简报", "text": "第一段文字。\r\n\r\n第二段文字。\r\n"},
    )
    assert response.status_code == 302
    edited = Briefing.objects.get()
    # Then the text changed, the figures did not, and the change is audited
    assert edited.title == "第一煤业公司十月简报"
    assert edited.paragraphs == ["第一段文字。", "第二段文字。"]
    assert edited.figures == briefing.figures
    event = AuditEvent.objects.get(action="briefing.update", object_id=str(briefing.pk))
    assert event.before == {"title": briefing.title, "paragraphs": briefing.paragraphs}
    assert event.after == {"title": edited.title, "paragraphs": edited.paragraphs}

    # And the Word file holds the edited text and the figures table
    download = client.get(reverse("reports:briefing_docx", args=[briefing.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    document = Document(io.BytesIO(download.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "第一煤业公司十月简报"
    assert "第一段文字。" in texts
    assert "第二段文字。" in texts
    table = document.tables[0]
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows}
    assert rows["收到诉求（件）"][0] == "2"
    # And the printable page too
    printed = client.get(reverse("reports:briefing_html", args=[briefing.pk])).content.decode()
    assert "第一煤业公司十月简报" in printed
    assert "第二段文字。" in printed
    # Its print layout (A4 page, margins) comes from its own style sheet: no inline style
    # under the Content-Security-Policy.
    assert 'href="/static/reports/briefing-document.css"' in printed
    sheet = finders.find("reports/briefing-document.css")
    assert isinstance(sheet, str)
    assert "@page" in Path(sheet).read_text(encoding="utf-8")
    assert "收到诉求（件）" in printed
    # And the list shows it
    listing = client.get(reverse("reports:briefing_list")).content.decode()
    assert "第一煤业公司十月简报" in listing


def test_the_briefing_figures_equal_the_dashboard_page(cases: Tree) -> None:
    client = _client(_leader(cases.company1))
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=20), today
    _generate(client, "C1", period=CUSTOM, date_from=start.isoformat(), date_to=end.isoformat())
    briefing = Briefing.objects.get()
    dashboard = client.get(
        reverse("reports:dashboard"),
        {"unit": "C1", "period": CUSTOM, "from": start.isoformat(), "to": end.isoformat()},
    )
    assert dashboard.status_code == 200
    assert briefing.figures["current"] == dashboard.context["current"].as_dict()
    assert briefing.figures["overdue"] == metrics.overdue_now(cases.company1)
    assert (
        Period(start, end, CUSTOM).previous().start.isoformat()
        == (briefing.figures["previous"]["from"])
    )


def test_a_leader_of_one_company_cannot_brief_another(cases: Tree) -> None:
    leader = _leader(cases.company1)
    client = _client(leader)
    # When the leader of company 1 asks for company 2's briefing, the form refuses
    response = _generate(client, "C2")
    assert response.status_code == 400
    assert "无权编写该单位的简报" in response.content.decode()
    assert not Briefing.objects.exists()
    # And a briefing of company 2 written by the group's administrator stays out of reach
    admin = make_staff(cases.group, Role.ADMINISTRATOR)
    _generate(_client(admin), "C2")
    other = Briefing.objects.get()
    for name in ("briefing_detail", "briefing_docx", "briefing_html"):
        assert client.get(reverse(f"reports:{name}", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("reports:briefing_detail", args=[other.pk]), {"title": "改", "text": "改"}
    )
    assert response.status_code == 404
    assert other.title not in client.get(reverse("reports:briefing_list")).content.decode()


def test_staff_without_briefing_rights_are_refused(cases: Tree) -> None:
    handler = _client(make_staff(cases.area1, Role.HANDLER))
    assert handler.get(reverse("reports:briefing_list")).status_code == 403
    assert handler.get(reverse("reports:briefing_new")).status_code == 403


def test_an_empty_text_is_refused(cases: Tree) -> None:
    client = _client(_leader(cases.company1))
    _generate(client, "C1")
    briefing = Briefing.objects.get()
    response = client.post(
        reverse("reports:briefing_detail", args=[briefing.pk]), {"title": "标题", "text": " \n "}
    )
    assert response.status_code == 400
    assert Briefing.objects.get().paragraphs == briefing.paragraphs


CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# What a briefing quotes as it was written: unit names and the words of the case.
DATA = (
    "示范煤业集团",
    "第一煤业公司",
    "综采一区",
    "一矿",
    "食堂晚班没有热饭，希望延长供餐时间",
    "已安排夜班热饭",
)


def _without_data(text: str) -> str:
    for words in DATA:
        text = text.replace(words, "")
    return text


def test_a_briefing_generated_in_english_is_english_throughout(cases: Tree) -> None:
    Category.objects.filter(code="canteen").update(english_name="Canteen")
    leader = _leader(cases.company1)
    client = _client(leader)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    assert _generate(client, "C1").status_code == 302
    briefing = Briefing.objects.get()
    assert briefing.figures["language"] == "en"
    words = _without_data(" ".join([briefing.title, *briefing.paragraphs]))
    assert not CJK.findall(words), words
    assert "Canteen" in words
    # The Word file, its subtitle, table and notes included, whoever downloads it
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    download = client.get(reverse("reports:briefing_docx", args=[briefing.pk]))
    document = Document(io.BytesIO(download.content))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for row in document.tables[0].rows for cell in row.cells]
    left = _without_data(" ".join(texts))
    assert not CJK.findall(left), CJK.findall(left)
    assert "period:" in left
    # And the person who generated it is named by name, not by account
    page = client.get(reverse("reports:briefing_detail", args=[briefing.pk])).content.decode()
    assert f"{leader.person.name} 于" in page
    assert f"{leader.get_username()} 于" not in page


def test_the_setting_fixes_the_language_of_every_briefing(cases: Tree, settings: Any) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "BRIEFING_LANGUAGE": "zh-hans"}
    client = _client(_leader(cases.company1))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _generate(client, "C1")
    briefing = Briefing.objects.get()
    assert briefing.figures["language"] == "zh-hans"
    assert (
        "统计期间"
        in client.get(reverse("reports:briefing_html", args=[briefing.pk])).content.decode()
    )
