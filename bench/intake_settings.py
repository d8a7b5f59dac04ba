"""Settings of the intake benchmark's server: the platform's own, plus the bare view's URL."""

from xinsheng.settings import *  # noqa: F403 - the very same settings, one URL more

ROOT_URLCONF = "intake_bare"
