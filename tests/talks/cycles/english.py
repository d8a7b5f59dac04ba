"""The English catalogue with this part's new strings, for pages checked in English.

The new strings' English waits in a fragment at the repository root (``i18n/talk-cycles.po``)
until it is folded into the catalogue; this fixture compiles the catalogue and the fragment
together into a temporary locale directory and points ``LOCALE_PATHS`` at it for the test.
"""

from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import override_settings

FRAGMENT = Path(__file__).resolve().parents[3] / "i18n" / "talk-cycles.po"


@pytest.fixture
def english(tmp_path: Path) -> Iterator[None]:
    """Serve pages with the English catalogue and this part's fragment merged."""
    catalogue = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "en/LC_MESSAGES/django.po"))
    known = {(entry.msgctxt, entry.msgid) for entry in catalogue}
    for entry in polib.pofile(str(FRAGMENT)):
        if (entry.msgctxt, entry.msgid) not in known:
            catalogue.append(entry)
    target = tmp_path / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    catalogue.save_as_mofile(str(target / "django.mo"))
    with override_settings(LOCALE_PATHS=[tmp_path]):
        yield
