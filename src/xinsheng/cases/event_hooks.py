"""What happens elsewhere when case events are written (the ``ON_CASE_EVENTS`` hook).

Every writer of ``CaseEvent`` rows calls ``case_events_written()`` once it has written them; the
apps that keep something derived from the events (``reports`` folds them into the aggregated
figures after commit) subscribe in their ``plugins`` module. So no writer names those apps.
"""

from xinsheng.core.plugins import call_all


def case_events_written() -> None:
    """Tell the subscribed apps that the current transaction wrote case events."""
    call_all("ON_CASE_EVENTS")
