"""The demo's figures: folded in at once, so the dashboard has them when the server starts."""

from xinsheng.reports.figures import figures_refresh
from xinsheng.reports.models import UnitFigures


def demo_load(*, seed: int) -> dict[str, int]:
    """Fold every demo event into the aggregated figures; return the cases recounted."""
    recounted = figures_refresh()
    if not recounted:
        return {}
    return {"cases": recounted, "rows": UnitFigures.objects.count()}
