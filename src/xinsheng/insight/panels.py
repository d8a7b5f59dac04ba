"""The hot topics section of the dashboard: the newest finished analysis of the unit, top five."""

from typing import Any

from xinsheng.core.actors import Actor
from xinsheng.core.periods import Period
from xinsheng.insight import selectors
from xinsheng.org.models import OrgUnit
from xinsheng.org.shared_reads import SharedReads

SHOWN = 5


def topics_panel(
    *, actor: Actor, unit: OrgUnit, period: Period, shared: SharedReads
) -> dict[str, Any] | None:
    """Return the section's context for ``unit`` (the dashboard checked its scope)."""
    run = selectors.topic_run_latest_for(actor=actor, unit=unit)
    topics = list(run.topics.filter(is_other=False)[:SHOWN]) if run is not None else []
    return {"unit": unit, "run": run, "topics": topics}
