"""Who may do what with rationalisation proposals (read by ``org.permissions``).

Everyone sees the proposals of their scope. Recorders and dispatchers enter proposals for
employees, turn 建议 voices into proposals and import sheets; dispatchers and administrators
run windows and assign evaluators; leaders decide for the committee and verify what was done;
the owner units record the implementation; the union pays the rewards. Scoring is not a role:
an evaluator scores what was assigned to them, and only that.
"""

from xinsheng.org.choices import Role
from xinsheng.org.permissions import ALL_ROLES

PROPOSAL_ACTIONS: dict[str, frozenset[Role]] = {
    "proposal.view": ALL_ROLES,
    "proposal.record": frozenset({Role.RECORDER, Role.DISPATCHER, Role.ADMINISTRATOR}),
    "proposal.manage": frozenset({Role.DISPATCHER, Role.ADMINISTRATOR}),
    "proposal.decide": frozenset({Role.LEADER, Role.ADMINISTRATOR}),
    "proposal.implement": frozenset(
        {Role.HANDLER, Role.UNIT_HEAD, Role.DISPATCHER, Role.ADMINISTRATOR}
    ),
    "proposal.verify": frozenset({Role.LEADER, Role.ADMINISTRATOR}),
    "proposal.reward": frozenset({Role.UNION, Role.ADMINISTRATOR}),
    "proposal.import": frozenset({Role.DISPATCHER, Role.ADMINISTRATOR}),
}
