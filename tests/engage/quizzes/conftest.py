"""What the quiz tests share: an organiser at a company with a question bank, signed in."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import Tree
from tests.engage.quizzes.factories import make_bank
from tests.org.factories import make_staff
from xinsheng.org.choices import Role


@pytest.fixture
def organiser(tree: Tree) -> User:
    """A union officer of company 1; the group holds the question bank."""
    make_bank(tree.group)
    return make_staff(tree.company1, Role.UNION)


@pytest.fixture
def client(organiser: User) -> Client:
    """The organiser's browser, signed in."""
    client = Client()
    client.force_login(organiser)
    return client
