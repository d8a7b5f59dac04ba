"""How the staff pages know who is signed in: Django's password check and session, with the user
read together with their person and roles."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from xinsheng.org import permissions


class StaffBackend(ModelBackend):
    """Django's ``ModelBackend``, whose signed-in user comes with their person and roles.

    Every staff page asks for the user (from the session) and then for the roles and person;
    here both come in one statement (``permissions.user_with_roles``). Passwords, permissions and
    inactive accounts are Django's, unchanged.
    """

    def get_user(self, user_id: Any) -> Any:
        user = permissions.user_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
