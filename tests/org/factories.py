"""Test factories of the org app."""

import itertools
from typing import Any

import factory
from django.contrib.auth.models import User

from xinsheng.org.choices import Role, UnitKind
from xinsheng.org.models import OrgUnit, Person, RoleAssignment

_codes = itertools.count(1)


def make_unit(
    parent: OrgUnit | None = None,
    *,
    name: str = "",
    kind: str = UnitKind.OTHER,
    code: str = "",
    **extra: Any,
) -> OrgUnit:
    """Create a unit under ``parent`` (a root when None) with a fresh code."""
    number = next(_codes)
    fields = {
        "name": name or f"单位{number}",
        "kind": kind,
        "code": code or f"U{number:05d}",
        **extra,
    }
    if parent is None:
        return OrgUnit.objects.add_root(create_kwargs=fields)  # type: ignore[no-any-return]
    return OrgUnit.objects.add_child(parent, create_kwargs=fields)  # type: ignore[no-any-return]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    employee_no = factory.Sequence(lambda n: f"E{n:06d}")
    name = factory.Sequence(lambda n: f"职工{n}")
    position = "采煤工"
    phone = factory.Sequence(lambda n: f"138{n:08d}")


def make_staff(unit: OrgUnit, *roles: Role, username: str = "") -> User:
    """Create a user whose person sits in ``unit`` and holds ``roles`` there."""
    user = UserFactory(**({"username": username} if username else {}))
    person = PersonFactory(unit=unit, user=user)
    for role in roles:
        RoleAssignment.objects.create(person=person, unit=unit, role=role)
    return user  # type: ignore[no-any-return]
