"""What rationalisation proposals add to the platform (see ``xinsheng.core.plugins``)."""

from xinsheng.proposals import permissions

ACTIONS = permissions.PROPOSAL_ACTIONS
