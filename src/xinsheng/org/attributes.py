"""A person's standing as the talk rules read it: cadre rank, principal, and groups.

Each group (``PersonGroup``) is stored as a boolean column of ``Person`` so that a rule can
filter on it directly; this module maps between the groups and their columns, and says a
person's standing in words for the pages, the import report and the audit trail.
"""

from collections.abc import Iterable
from typing import Protocol

from django.utils.translation import gettext

from xinsheng.org.choices import CadreRank, PersonGroup

GROUP_FIELDS: dict[PersonGroup, str] = {
    PersonGroup.PARTY_MEMBER: "is_party_member",
    PersonGroup.TECHNICAL_TALENT: "is_technical_talent",
    PersonGroup.TEAM_LEADER: "is_team_leader",
    PersonGroup.BACKBONE: "is_backbone",
    PersonGroup.MANAGER: "is_manager",
}
# Every column of a person's standing, as the audit snapshot and the import compare them.
ATTRIBUTE_FIELDS = ["cadre_rank", "is_principal", *GROUP_FIELDS.values()]
PRINCIPAL = "principal"  # the people list's filter value for 主要负责人 among the groups


class Standing(Protocol):
    """What is read of a person here (a ``Person``, or a row of the import)."""

    @property
    def cadre_rank(self) -> str: ...
    @property
    def is_principal(self) -> bool: ...
    @property
    def is_party_member(self) -> bool: ...
    @property
    def is_technical_talent(self) -> bool: ...
    @property
    def is_team_leader(self) -> bool: ...
    @property
    def is_backbone(self) -> bool: ...
    @property
    def is_manager(self) -> bool: ...


def group_values(groups: Iterable[str]) -> dict[str, bool]:
    """Return the value of every group column for a person in exactly ``groups``."""
    chosen = set(groups)
    return {field: group.value in chosen for group, field in GROUP_FIELDS.items()}


def groups_of(person: Standing) -> list[str]:
    """Return the groups ``person`` belongs to, in the order of ``PersonGroup``."""
    return [group.value for group, field in GROUP_FIELDS.items() if getattr(person, field)]


def rank_label(rank: str) -> str:
    """Return the name of a cadre rank, or "" for someone who is not a cadre."""
    return str(CadreRank(rank).label) if rank in CadreRank.values else ""


def principal_label() -> str:
    """Return the word for the principal (正职) of a unit."""
    return gettext("主要负责人")


def labels_of(person: Standing) -> list[str]:
    """Return ``person``'s standing in words: 党员, their rank, 主要负责人, then other groups."""
    labels = []
    if person.is_party_member:
        labels.append(str(PersonGroup.PARTY_MEMBER.label))
    if rank := rank_label(person.cadre_rank):
        labels.append(rank)
    if person.is_principal:
        labels.append(principal_label())
    labels += [
        str(group.label)
        for group, field in GROUP_FIELDS.items()
        if group != PersonGroup.PARTY_MEMBER and getattr(person, field)
    ]
    return labels
