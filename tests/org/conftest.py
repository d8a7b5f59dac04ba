"""Fixtures of the org tests."""

from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings as django_settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def english(client: Client, settings: Any, tmp_path: Path) -> Client:
    """Return ``client`` asking for English pages, with every English text the project has.

    New texts may wait in a catalogue fragment under ``i18n/`` until they are folded into the
    catalogue; they are compiled here into a catalogue that takes precedence, so that a page is
    checked with the translations it will have.
    """
    fragments = sorted((ROOT / "i18n").glob("*.po"))
    if fragments:
        target = tmp_path / "locale" / "en" / "LC_MESSAGES"
        target.mkdir(parents=True)
        merged = polib.POFile()
        merged.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
        for fragment in fragments:
            merged.extend(entry for entry in polib.pofile(str(fragment)) if entry.msgstr)
        merged.save_as_mofile(str(target / "django.mo"))
        settings.LOCALE_PATHS = [tmp_path / "locale", *settings.LOCALE_PATHS]
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
