"""Case numbers: the year and a running number, e.g. 2026-000123, never reused."""

from django.db import transaction
from django.utils import timezone

from xinsheng.cases.models import CaseCounter


@transaction.atomic
def case_no_next() -> str:
    """Return the next case number of the current year (locks the year's counter row)."""
    year = timezone.localdate().year
    CaseCounter.objects.get_or_create(year=year)
    counter = CaseCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}-{counter.last:06d}"
