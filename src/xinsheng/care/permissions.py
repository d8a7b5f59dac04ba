"""Who may do what with assistance to employees in need (read by ``org.permissions``).

The union's assistance officers (工会帮扶干事) run programmes, approve and pay; units propose
families and applications and review them; cadres visit the families they are paired with.
Health, belief and children's data are for the privacy role alone, and every reading is logged.
"""

from xinsheng.org.choices import Role

# Those who see families on file, applications and the money paid to them.
CARING = frozenset(
    {Role.RECORDER, Role.UNIT_HEAD, Role.LEADER, Role.UNION, Role.PRIVACY, Role.ADMINISTRATOR}
)

CARE_ACTIONS: dict[str, frozenset[Role]] = {
    "care.view": CARING,
    # Propose a family or an application (a branch secretary, the unit, the union itself).
    "care.propose": frozenset({Role.RECORDER, Role.UNIT_HEAD, Role.UNION}),
    # The unit's review, then the union's approval (and refusal, and payment).
    "care.review": frozenset({Role.UNIT_HEAD}),
    "care.approve": frozenset({Role.UNION}),
    "care.pay": frozenset({Role.UNION}),
    # Record a care visit or a delivery: the cadres themselves, their secretaries, the union.
    "care.visit": frozenset({Role.RECORDER, Role.UNIT_HEAD, Role.LEADER, Role.UNION}),
    # Programmes, funds, batches and quotas; historical rosters from Excel.
    "care.manage": frozenset({Role.UNION, Role.ADMINISTRATOR}),
    "care.import": frozenset({Role.UNION, Role.ADMINISTRATOR}),
    "care.view_sensitive": frozenset({Role.PRIVACY}),
}
