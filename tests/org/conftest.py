"""Fixtures of the org tests."""

import pytest
from django.conf import settings
from django.test import Client


@pytest.fixture
def english(client: Client) -> Client:
    """Return ``client`` asking for English pages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
