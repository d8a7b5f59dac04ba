"""The pages' own scripts work under the Content-Security-Policy, and nothing is refused.

A refused script, style or image is reported by the browser as a console error, which fails the
test (see conftest); each page also records every ``securitypolicyviolation`` event, so that a
refusal is named even when the browser logs it quietly.
"""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.urls import reverse
from playwright.sync_api import Dialog, Page, Response, expect

from tests.browser.conftest import DESKTOP, PHONE, OpenPage, sign_in
from tests.browser.test_dashboard import CHARTS, built  # noqa: F401 -- the dashboard's cases
from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.reports.scenario import START
from xinsheng.cases import services
from xinsheng.core.middleware import CONTENT_SECURITY_POLICY
from xinsheng.insight import similar_store
from xinsheng.org.choices import Role

pytestmark = pytest.mark.browser

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""
BATH = "井口澡堂的热水供应时间太短，夜班下井回来经常没有热水洗澡，希望延长供水时间。"
BATH_AGAIN = "井口澡堂的熱水供應時間太短，夜班下井回來經常沒有熱水洗澡，希望延長供水時間。"


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    similar_store.index_reset()
    yield
    similar_store.index_reset()


def watched(open_page: OpenPage, **options: object) -> Page:
    page = open_page(**options)
    page.add_init_script(WATCH)
    return page


def visit(page: Page, url: str) -> Response:
    response = page.goto(url)
    assert response is not None
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, url
    return response


def no_violations(page: Page) -> None:
    assert page.evaluate("window.__violations") == []


def test_the_phone_form_counts_and_shows_similar_voices(open_page: OpenPage, tree: Tree) -> None:
    # Given a voice already sent from the same company
    services.case_submit(
        unit=tree.team1,
        kind="demand",
        title="",
        text=BATH,
        identity=services.Identity(anonymous=True),
    )
    phone = watched(open_page, **PHONE)

    # When an employee types the same thing on the form behind the QR code
    visit(phone, reverse("public:intake", args=[tree.team1.code]))
    phone.get_by_label("内容").fill(BATH_AGAIN)

    # Then the counter counts and the similar-voices box appears, with nothing refused
    expect(phone.locator("#text-count")).to_have_text(str(len(BATH_AGAIN)))
    box = phone.locator(".similar")
    expect(box).to_be_visible()
    expect(box.locator("li")).to_have_count(1)
    expect(box).to_contain_text("本公司近90天")  # the box says what it shows
    no_violations(phone)


def test_the_dashboard_draws_its_charts_under_the_policy(
    open_page: OpenPage,
    built: Tree,  # noqa: F811 -- the fixture imported above
) -> None:
    page = watched(open_page, **DESKTOP)
    sign_in(page, make_staff(built.group, Role.LEADER))

    start, end = START.date() - dt.timedelta(days=10), START.date().replace(month=8)
    visit(
        page,
        f"{reverse('reports:dashboard')}?unit=GRP&period=custom"
        f"&from={start.isoformat()}&to={end.isoformat()}",
    )

    expect(page.locator("[data-chart]")).to_have_count(len(CHARTS))
    for chart in page.locator("[data-chart]").all():
        expect(chart.locator("canvas").first).to_be_visible()
    no_violations(page)


def test_htmx_and_the_menu_scripts_work_on_staff_pages(open_page: OpenPage, tree: Tree) -> None:
    services.case_submit(
        unit=tree.team1,
        kind="demand",
        title="",
        text=BATH,
        identity=services.Identity(anonymous=True),
    )
    admin = make_staff(tree.group, Role.ADMINISTRATOR)
    page = watched(open_page, **DESKTOP)
    sign_in(page, admin)

    # htmx: the ledger's filters reload the table in place
    visit(page, reverse("cases:ledger"))
    expect(page.locator("#ledger-table tbody tr")).to_have_count(1)
    with page.expect_response(lambda r: "q=" in r.url and r.status == 200):
        page.get_by_role("searchbox").fill("没有这样的诉求")
    expect(page.locator("#ledger-table")).not_to_contain_text("澡堂")
    assert "q=" in page.url  # htmx pushed the filtered address

    # A form that asks before it is sent (cancelled: nothing changes)
    asked: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    visit(page, reverse("cases:qr", args=[tree.team1.code]))
    page.get_by_role("button", name="更换二维码").click()
    expect(page.get_by_role("button", name="更换二维码")).to_be_visible()
    assert len(asked) == 1
    assert "旧二维码" in asked[0]

    # The language picker sends its form when changed
    page.get_by_label("语言").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    no_violations(page)


def test_the_menu_button_opens_the_menu_on_a_phone(open_page: OpenPage, tree: Tree) -> None:
    phone = watched(open_page, **PHONE)
    sign_in(phone, make_staff(tree.group, Role.ADMINISTRATOR))

    toggle = phone.locator("[data-nav-toggle]")
    toggle.tap()

    expect(phone.locator("body")).to_have_class("staff nav-open")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    no_violations(phone)


def test_the_api_docs_render_under_the_policy(open_page: OpenPage, db: None) -> None:
    page = watched(open_page, **DESKTOP)

    visit(page, reverse("api-docs"))

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Xinsheng")
    expect(page.get_by_text("/api/v1/auth/token").first).to_be_visible()
    no_violations(page)


def test_the_admin_pages_work_under_the_policy(open_page: OpenPage, tree: Tree) -> None:
    admin = make_staff(tree.group, Role.ADMINISTRATOR)
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    page = watched(open_page, **DESKTOP)
    sign_in(page, admin)

    visit(page, "/admin/org/person/")
    expect(page.locator("#result_list")).to_be_visible()
    page.locator("#result_list tbody a").first.click()
    expect(page.locator("#person_form")).to_be_visible()
    no_violations(page)
