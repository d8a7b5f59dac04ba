"""Who may do what with surveys (read by ``org.permissions``)."""

from xinsheng.org.choices import Role
from xinsheng.org.permissions import ALL_ROLES

SURVEY_ACTIONS: dict[str, frozenset[Role]] = {
    # See the surveys of a subtree and their results (figures, never who answered what).
    "survey.view": ALL_ROLES,
    # Set up a survey, its questions and its QR codes: the union and the administrators, and a
    # unit head for the unit's own people.
    "survey.manage": frozenset({Role.UNION, Role.UNIT_HEAD, Role.ADMINISTRATOR}),
    # Send a free-text answer into the closed loop as a voice (channel 问卷).
    "survey.to_case": frozenset({Role.DISPATCHER, Role.UNION, Role.ADMINISTRATOR}),
}
