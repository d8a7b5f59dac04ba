"""What proposals offer on the staff case page: turning a 建议 voice into a proposal."""

from urllib.parse import urlencode

from django.urls import reverse

from xinsheng.cases.choices import CaseKind, CaseStatus
from xinsheng.cases.models import Case
from xinsheng.proposals.models import Proposal

# A voice in one of these states is settled: its submitter has their answer, or it follows another.
SETTLED = frozenset({CaseStatus.CLOSED, CaseStatus.REJECTED, CaseStatus.MERGED})


def convertible(case: Case) -> bool:
    """Return whether ``case`` is a named 建议 still open to becoming a proposal.

    The proposal table is asked only when the case itself qualifies (one query at most).
    """
    if case.kind != CaseKind.SUGGESTION or case.status in SETTLED:
        return False
    if case.is_anonymous or not case.submitter_employee_no:
        return False
    return not Proposal.objects.filter(case=case).exists()


def from_case_url(case: Case) -> str:
    """Return the page that turns ``case`` into a proposal, with its number filled in."""
    return f"{reverse('proposals:from_case')}?{urlencode({'case': case.case_no})}"
