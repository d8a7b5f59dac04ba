"""A new app plugs in by name: installing a throwaway app adds its menu entry, pages, dashboard
panel, briefing paragraph, demo part and spreadsheet import, with no other app's code changed."""

import importlib
import re
import sys
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import clear_url_caches, reverse

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.plugin_app import imports
from tests.plugin_app import plugins as plugin
from xinsheng.core.management.commands import demo
from xinsheng.core.models import SheetImportJob
from xinsheng.core.periods import period_of
from xinsheng.core.plugins import contributions
from xinsheng.org.choices import Role
from xinsheng.reports.briefing import build_content

PLUGIN = "tests.plugin_app"


def _reload_urls() -> None:
    clear_url_caches()
    for name in ("xinsheng.urls",):
        if name in sys.modules:
            importlib.reload(sys.modules[name])
    clear_url_caches()


@pytest.fixture
def plugged() -> Iterator[None]:
    """The site with the throwaway app installed, as an operator would add it to the settings."""
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, PLUGIN]):
        _reload_urls()
        yield
    _reload_urls()


def leader(client: Client, tree: Tree) -> Client:
    client.force_login(make_staff(tree.group, Role.LEADER))
    return client


def test_without_the_app_nothing_of_it_shows(client: Client, tree: Tree) -> None:
    html = leader(client, tree).get(reverse("reports:dashboard"), {"unit": "GRP"}).content.decode()

    assert "走访记录" not in html
    assert all(part.app != "plugin_app" for part in demo.parts())
    assert "待补录的走访记录" not in client.get(reverse("home")).content.decode()


def test_its_menu_entry_and_page_appear(plugged: None, client: Client, tree: Tree) -> None:
    html = leader(client, tree).get(reverse("home")).content.decode()

    assert f'href="{reverse("plugin_app:home")}"' in html
    assert "走访记录" in html
    assert client.get(reverse("plugin_app:home")).content == b"plug-in page"


def test_its_work_is_on_the_staff_home(plugged: None, client: Client, tree: Tree) -> None:
    html = leader(client, tree).get(reverse("home")).content.decode()

    assert '<a href="/plugin/">' in html
    assert "待补录的走访记录" in html
    assert "/plugin/none/" not in html


def test_its_panel_is_on_the_dashboard(plugged: None, client: Client, tree: Tree) -> None:
    response = leader(client, tree).get(reverse("reports:dashboard"), {"unit": "GRP"})

    html = response.content.decode()
    assert 'id="plugin-panel"' in html
    assert "示范煤业集团走访职工 7 人次" in html


def test_its_paragraph_and_figures_are_in_the_briefing(plugged: None, tree: Tree) -> None:
    content = build_content(tree.group, period_of("month", tree.group.created_at.date()))

    assert "走访方面，示范煤业集团共走访职工7人次。" in content.paragraphs
    assert content.figures["plugin_visits"] == {"visits": 7}


def test_its_demo_part_runs_in_order_and_reports(plugged: None, db: None, settings: Any) -> None:
    order = [part.app for part in demo.parts()]
    assert order.index("projects") < order.index("plugin_app") < order.index("reports")

    settings.XINSHENG = {**settings.XINSHENG, "DEMO_CASES": 20}
    plugin.LOADED.clear()
    out = StringIO()
    call_command("demo", "--seed", "4", stdout=out)

    assert plugin.LOADED == [4]
    assert "Plug-in visits: 3" in out.getvalue()
    # ... and the operator sees each part as it loads, with its time, rather than a silent minute
    assert re.search(r"Loading the demo: plugin_app … \d+\.\d s", out.getvalue())


def test_the_registry_sees_an_app_only_while_it_is_installed(plugged: None) -> None:
    assert any(entry.url_name == "plugin_app:home" for entry in contributions("NAV"))
    with override_settings(
        INSTALLED_APPS=[app for app in settings.INSTALLED_APPS if app != PLUGIN]
    ):
        assert all(entry.url_name != "plugin_app:home" for entry in contributions("NAV"))


def test_its_import_runs_through_the_spreadsheet_kit(
    plugged: None, client: Client, tree: Tree, django_capture_on_commit_callbacks: Any
) -> None:
    imports.WRITTEN.clear()
    leader(client, tree)
    page = client.get(reverse("plugin_app:import"))
    assert page.status_code == 200
    assert "走访记录导入" in page.content.decode()

    upload = SimpleUploadedFile("visits.csv", "王建国\n李秀英\n".encode(), "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("plugin_app:import"), {"file": upload})
    job = SheetImportJob.objects.get(kind="plugin_visits")
    assert response.status_code == 302
    assert response["Location"] == reverse("plugin_app:import_job", args=[job.pk])

    status = client.get(reverse("plugin_app:import_job_status", args=[job.pk])).content.decode()
    assert "将导入走访 2 人次" in status  # the dry run ran (tests run tasks at once)
    assert imports.WRITTEN == []

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plugin_app:import_apply", args=[job.pk]))
    assert imports.WRITTEN == ["王建国", "李秀英"]
