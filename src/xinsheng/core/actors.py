"""Who acts: a signed-in user, or nobody (an anonymous employee, the system)."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

Actor = AbstractBaseUser | AnonymousUser
