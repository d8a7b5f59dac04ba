"""Background work of the talk figures: the scheduler keeps the monthly aggregates current."""

from django_tasks import task

from xinsheng.talks.aggregates import aggregates_refresh


@task()
def talk_figures_refresh() -> int:
    """Catch the monthly aggregates of talks up with the records written since the last pass."""
    return aggregates_refresh(margin=True)
