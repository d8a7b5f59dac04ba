"""Who may do what with talks, visits, meetings and supervision (read by ``org.permissions``)."""

from xinsheng.org.choices import Role
from xinsheng.org.permissions import ALL_ROLES

# Those who hold talks and write them down: branch secretaries, unit heads, leaders.
TALKING = frozenset({Role.RECORDER, Role.UNIT_HEAD, Role.LEADER, Role.ADMINISTRATOR})

TALK_ACTIONS: dict[str, frozenset[Role]] = {
    "talk.view": ALL_ROLES,
    "talk.record": TALKING,
    # Health and family hardship noted in a talk: only those who must act on it; reads are logged.
    "talk.view_sensitive": frozenset({Role.UNIT_HEAD, Role.LEADER}),
    "talk.import": frozenset({Role.ADMINISTRATOR, Role.DISPATCHER}),
    # Talk cycles: set up a round and its pairs; the tier rules themselves are the administrator's.
    "talk.plan": frozenset({Role.ADMINISTRATOR, Role.LEADER}),
    "talk.rules": frozenset({Role.ADMINISTRATOR}),
    # Employees' requests for a talk: schedule, hold or decline them.
    "talk.request.handle": frozenset({Role.RECORDER, Role.UNIT_HEAD, Role.ADMINISTRATOR}),
    "meeting.record": frozenset({Role.RECORDER, Role.UNIT_HEAD, Role.ADMINISTRATOR}),
    "rectification.update": frozenset(
        {Role.RECORDER, Role.HANDLER, Role.UNIT_HEAD, Role.ADMINISTRATOR}
    ),
    # Supervision groups: set up by the administrator, run by supervisors and leaders.
    "supervision.manage": frozenset({Role.ADMINISTRATOR}),
    "supervision.act": frozenset({Role.SUPERVISOR, Role.LEADER}),
}
