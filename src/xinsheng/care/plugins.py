"""What assistance to employees in need adds to the platform (``xinsheng.core.plugins``)."""

from xinsheng.care import permissions

ACTIONS = permissions.CARE_ACTIONS
