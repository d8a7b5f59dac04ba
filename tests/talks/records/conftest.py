"""Fixtures of the talk records' tests: the English catalogue with this part's texts in it."""

from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def english_catalogue(tmp_path: Path) -> Iterator[None]:
    """Serve the English catalogue with the texts of the fragments under ``i18n/`` folded in.

    New texts are written as fragments beside the catalogue until they are folded into it; the
    pages are checked in English with both, as they will be served.
    """
    locale = Path(settings.LOCALE_PATHS[0])
    catalogue = polib.pofile(str(locale / "en/LC_MESSAGES/django.po"))
    known = {entry.msgid for entry in catalogue}
    for fragment in sorted((ROOT / "i18n").glob("*.po")):
        for entry in polib.pofile(str(fragment)):
            if entry.msgid not in known and entry.msgstr:
                catalogue.append(entry)
                known.add(entry.msgid)
    target = tmp_path / "locale/en/LC_MESSAGES"
    target.mkdir(parents=True)
    catalogue.save_as_mofile(str(target / "django.mo"))
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        yield
