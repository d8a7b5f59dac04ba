"""Warm a web server process before it takes its first request.

The URL configuration (which imports every app's views), the templates of the pages seen first,
the translation catalogues and what the apps name in their ``WARM`` hook are loaded once, in
gunicorn's master process before its workers fork (``--preload``), so that the first visitor
after "ready" does not wait for them.

Only what the loop's pages use is warmed: the text tools (scikit-learn, scipy, numpy, jieba),
the office formats (openpyxl, python-docx) and Pillow are imported where they are used (the task
worker, an export, a photo), so that a web worker stays light.
"""

import gc
from contextlib import suppress

from django.db import connections
from django.template import TemplateDoesNotExist, loader
from django.urls import get_resolver
from django.utils import translation

from xinsheng.core.plugins import call_all

FIRST_TEMPLATES = (
    "base.html",
    "public_base.html",
    "registration/login.html",
    "org/home.html",
    "404.html",
)


def warm() -> None:
    """Load what the first requests need; open no database connection for the workers to share."""
    get_resolver().url_patterns  # noqa: B018 - imports every app's URLs and views
    get_resolver()._populate()  # the reverse look-ups every page makes
    for language in ("zh-hans", "en"):
        with translation.override(language):
            translation.gettext("心声")
    for name in FIRST_TEMPLATES:
        with suppress(TemplateDoesNotExist):  # an installation that overrides its templates
            loader.get_template(name)
    call_all("WARM")  # what the apps' loop pages load on first use
    connections.close_all()
    # What is loaded now lives as long as the process: moved out of the collector's reach, its
    # pages are not written to by each worker's collections and stay shared after the fork.
    gc.collect()
    gc.freeze()
