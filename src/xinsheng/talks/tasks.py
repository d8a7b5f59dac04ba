"""Background work of talks, run by the task worker; ``PERIODIC`` is what the scheduler enqueues.

The scheduler keeps the monthly aggregates of the talk figures current (pages catch them up too,
when records changed since the last pass).
"""

from django_tasks import task

from xinsheng.talks.aggregates import aggregates_refresh


@task()
def talk_figures_refresh() -> int:
    """Catch the monthly aggregates of talks up with the records written since the last pass."""
    return aggregates_refresh(margin=True)


PERIODIC = (talk_figures_refresh,)
