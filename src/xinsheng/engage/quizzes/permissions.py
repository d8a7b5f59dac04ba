"""Who may do what with quizzes (read by ``org.permissions``).

The party-mass departments and the union (here the union's officers and administrators) keep
the bank and run campaigns; leaders and unit heads read the leaderboards of their subtree.
Employees take part without an account.
"""

from xinsheng.org.choices import Role

QUIZ_ACTIONS: dict[str, frozenset[Role]] = {
    # Rounds, leaderboards and the 答题达人 list, with their exports.
    "quiz.view": frozenset({Role.UNIT_HEAD, Role.LEADER, Role.UNION, Role.ADMINISTRATOR}),
    # The question bank, campaigns and rounds.
    "quiz.manage": frozenset({Role.UNION, Role.ADMINISTRATOR}),
    # The question bank from Excel.
    "quiz.import": frozenset({Role.UNION, Role.ADMINISTRATOR}),
}
