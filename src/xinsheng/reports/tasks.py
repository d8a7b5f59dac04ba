"""Background work of the reports app: folding new events into the aggregated figures.

The task itself lives beside the work it runs (``figures.figures_refresh_task``); this module
lists what ``xinsheng scheduler`` enqueues on every round.
"""

from xinsheng.reports.figures import figures_refresh_task

PERIODIC = (figures_refresh_task,)
