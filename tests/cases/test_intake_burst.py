"""The hourly limit of voices holds for a burst: a submission counts from the moment it arrives.

A client that sends its voices all at once (to one server or several) used to get them all past
the check, because none had been counted yet when the others were checked (the two-server
rehearsal, bench/rehearsal.py, took 22 of 40 voices sent at once against a limit of 20).
"""

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from pytest_django.fixtures import Settings

from tests.cases.test_public import form_data, post_intake
from tests.conftest import Tree
from xinsheng.cases.intake import limits
from xinsheng.cases.models import Case

ADDRESS = "198.51.100.40"
API = "/api/v1/units/T1/cases"
TEXT = "食堂晚班没有热饭，希望延长供餐时间。"


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def in_flight(stack: ExitStack, count: int) -> list[limits.Slot]:
    """Start ``count`` submissions of the client that are still being saved (not answered yet)."""
    request = RequestFactory().post(API, REMOTE_ADDR=ADDRESS)
    return [stack.enter_context(limits.limit_slot(request, limits.INTAKE)) for _ in range(count)]


def api_voice(client: Client) -> int:
    body: dict[str, Any] = {"kind": "demand", "text": TEXT, "anonymous": True}
    return client.post(API, body, content_type="application/json").status_code


def test_a_voice_sent_while_the_allowance_is_in_flight_is_refused(
    tree: Tree, settings: Settings
) -> None:
    # Given a limit of two voices an hour and a client whose two voices are still being saved
    settings.XINSHENG = {**settings.XINSHENG, "INTAKE_RATE_PER_HOUR": 2}
    client = Client(REMOTE_ADDR=ADDRESS)
    with ExitStack() as stack:
        for slot in in_flight(stack, 2):
            slot.keep()  # both are taken

        # When a third arrives through the API or the form before they are answered
        by_api = api_voice(client)
        by_form = post_intake(client, tree.team1, form_data()).status_code

    # Then it is refused, and nothing of it is written
    assert (by_api, by_form) == (429, 429)
    assert not Case.objects.exists()


def test_a_submission_in_flight_that_takes_no_voice_gives_its_count_back(
    tree: Tree, settings: Settings
) -> None:
    # Given a limit of one voice an hour and a client's submission in flight that fails
    settings.XINSHENG = {**settings.XINSHENG, "INTAKE_RATE_PER_HOUR": 1}
    client = Client(REMOTE_ADDR=ADDRESS)
    with ExitStack() as stack:
        in_flight(stack, 1)
        assert api_voice(client) == 429  # refused while the first one may still count

    # When that submission has ended without a voice (bad input, a retry …)
    # Then the client's voice is taken, once
    assert api_voice(client) == 201
    assert api_voice(client) == 429
    assert Case.objects.count() == 1
