"""Staff QR pages: download a unit's code as PNG or SVG, print its poster, disable and rotate it."""

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import segno
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image
from pytest_django.fixtures import Settings

from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.cases import services
from xinsheng.cases.models import IntakePoint
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def dispatcher(tree: Tree) -> User:
    return make_staff(tree.company1, Role.DISPATCHER)


@pytest.fixture
def handler(tree: Tree) -> User:
    return make_staff(tree.area1, Role.HANDLER)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def token_of(tree: Tree) -> str:
    return services.intake_point_for(tree.team1).token


def modules_of_png(png: bytes, size: int, border: int = 4) -> list[list[bool]]:
    """Return the dark modules of a QR code PNG ``size`` modules wide, read at module centres."""
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        grey = image.convert("L")
    width, height = grey.size
    scale, rest = divmod(width, size + 2 * border)
    assert (width, rest) == (height, 0)

    def dark(row: int, col: int) -> bool:
        centre = ((col + border) * scale + scale // 2, (row + border) * scale + scale // 2)
        return grey.getpixel(centre) == 0

    return [[dark(row, col) for col in range(size)] for row in range(size)]


def modules_of(url: str) -> list[list[bool]]:
    return [[bool(cell) for cell in row] for row in segno.make(url, error="m").matrix]


def test_the_qr_page_shows_the_code_its_link_and_the_downloads(
    tree: Tree, dispatcher: User
) -> None:
    # When a dispatcher opens the QR page of a team in their company
    response = logged_in(dispatcher).get(f"/cases/qr/{tree.team1.code}/")

    # Then it shows the code, the link it carries (with the token), downloads and the buttons
    html = response.content.decode()
    assert response.status_code == 200
    assert tree.team1.name in html
    assert f"http://testserver/v/{tree.team1.code}/?k={token_of(tree)}" in html
    assert "<svg" in html
    for url in ("qr.png", "qr.svg", "poster/"):
        assert f"/cases/qr/{tree.team1.code}/{url}" in html
    assert "停用二维码" in html
    assert "更换二维码" in html


def test_the_png_is_a_qr_code_of_the_public_link(tree: Tree, handler: User) -> None:
    # When someone who may see the unit downloads the PNG
    response = logged_in(handler).get(f"/cases/qr/{tree.team1.code}/qr.png")

    # Then it is a PNG attachment whose modules are those of the unit's public link
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert f'filename="xinsheng-qr-{tree.team1.code}.png"' in response["Content-Disposition"]
    png = response.content
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    url = f"http://testserver/v/{tree.team1.code}/?k={token_of(tree)}"
    expected = modules_of(url)
    assert modules_of_png(png, len(expected)) == expected
    other = modules_of(f"http://testserver/v/{tree.team1.code}/?k=WRONG123")
    assert modules_of_png(png, len(other)) != other


def test_the_png_scale_can_be_chosen_within_limits(tree: Tree, handler: User) -> None:
    client = logged_in(handler)
    small = client.get(f"/cases/qr/{tree.team1.code}/qr.png", {"scale": "2"}).content
    large = client.get(f"/cases/qr/{tree.team1.code}/qr.png", {"scale": "500"}).content
    junk = client.get(f"/cases/qr/{tree.team1.code}/qr.png", {"scale": "x"}).content
    sizes = [Image.open(io.BytesIO(png)).size[0] for png in (small, large, junk)]
    modules = len(modules_of(f"http://testserver/v/{tree.team1.code}/?k={token_of(tree)}")) + 8
    assert sizes == [modules * 2, modules * 40, modules * 12]


def test_the_svg_is_a_qr_code_of_the_public_link(
    tree: Tree, handler: User, settings: Settings
) -> None:
    # Given an installation reached by employees at a public address
    settings.XINSHENG = {**settings.XINSHENG, "PUBLIC_BASE_URL": "https://xs.example.com/"}

    # When the SVG is downloaded
    response = logged_in(handler).get(f"/cases/qr/{tree.team1.code}/qr.svg")

    # Then it is an SVG drawing of that address's link
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == f"{SVG_NS}svg"
    url = f"https://xs.example.com/v/{tree.team1.code}/?k={token_of(tree)}"
    title = root.find(f"{SVG_NS}title")
    assert title is not None
    assert title.text == url
    expected = io.BytesIO()
    segno.make(url, error="m").save(expected, kind="svg", scale=10, border=4, title=url)
    assert response.content == expected.getvalue()


def test_the_poster_is_an_a4_page_with_the_code_instructions_and_promise(
    tree: Tree, handler: User
) -> None:
    response = logged_in(handler).get(f"/cases/qr/{tree.team1.code}/poster/")

    html = response.content.decode()
    assert response.status_code == 200
    assert tree.team1.name in html
    assert "<svg" in html
    # Its A4 print layout is a style sheet of its own (no <style>: see the CSP)
    sheet = re.search(r'href="/static/(cases/poster[^"]*\.css)"', html)
    assert sheet is not None
    found = finders.find(sheet.group(1))
    assert isinstance(found, str)
    layout = Path(found).read_text(encoding="utf-8")
    assert "size: A4" in layout
    assert "@media print" in layout
    assert html.count("<li>") == 3
    assert "每一条心声都有回音，每一件诉求都有答复" in html
    assert "https://" not in html.replace(f"http://testserver/v/{tree.team1.code}/", "")


def test_only_those_who_manage_intake_see_and_use_the_buttons(tree: Tree, handler: User) -> None:
    client = logged_in(handler)

    # A handler sees the code, without the buttons
    html = client.get(f"/cases/qr/{tree.team1.code}/").content.decode()
    assert "停用二维码" not in html

    # ... and a POST is refused, changing nothing
    response = client.post(f"/cases/qr/{tree.team1.code}/manage/", {"action": "disable"})
    assert response.status_code == 403
    assert IntakePoint.objects.get(unit=tree.team1).is_enabled


def test_units_outside_the_scope_are_not_found_and_strangers_must_log_in(
    tree: Tree, dispatcher: User
) -> None:
    client = logged_in(dispatcher)
    for url in ("", "qr.png", "qr.svg", "poster/"):
        assert client.get(f"/cases/qr/{tree.mine2.code}/{url}").status_code == 404
    response = client.post(f"/cases/qr/{tree.mine2.code}/manage/", {"action": "rotate"})
    assert response.status_code == 404
    assert not IntakePoint.objects.filter(unit=tree.mine2).exists()

    response = Client().get(f"/cases/qr/{tree.team1.code}/qr.png")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_disabling_enabling_and_rotating_work_on_the_public_form(
    tree: Tree, dispatcher: User
) -> None:
    staff = logged_in(dispatcher)
    public = Client()
    manage = f"/cases/qr/{tree.team1.code}/manage/"
    old = token_of(tree)
    link = f"/v/{tree.team1.code}/?k={old}"
    assert public.get(link).status_code == 200

    # Disabled: the public form says so, and the staff page shows it
    response = staff.post(manage, {"action": "disable"}, follow=True)
    assert "二维码已停用" in response.content.decode()
    assert "启用二维码" in response.content.decode()
    response = public.get(link)
    assert response.status_code == 409
    assert "已停用" in response.content.decode()

    # Enabled again: it works again
    staff.post(manage, {"action": "enable"})
    assert public.get(link).status_code == 200

    # Rotated: the old link is refused, the page shows the new one
    response = staff.post(manage, {"action": "rotate"}, follow=True)
    new = IntakePoint.objects.get(unit=tree.team1).token
    assert new != old
    html = response.content.decode()
    assert f"/v/{tree.team1.code}/?k={new}" in html
    assert "旧二维码已失效" in html
    assert public.get(link).status_code == 409
    assert public.get(f"/v/{tree.team1.code}/?k={new}").status_code == 200

    # Each change is audited, by whom
    changes = AuditEvent.objects.filter(action="intake.update").order_by("id")
    assert [event.after for event in changes] == [
        {"enabled": False, "rotated": False},
        {"enabled": True, "rotated": False},
        {"enabled": True, "rotated": True},
    ]
    assert {event.actor_id for event in changes} == {dispatcher.pk}


def test_an_unknown_manage_action_changes_nothing(tree: Tree, dispatcher: User) -> None:
    response = logged_in(dispatcher).post(
        f"/cases/qr/{tree.team1.code}/manage/", {"action": "explode"}, follow=True
    )
    assert "选项无效" in response.content.decode()
    assert not AuditEvent.objects.filter(action="intake.update").exists()
