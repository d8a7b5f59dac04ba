"""What surveys and quizzes add to the platform (``xinsheng.core.plugins``)."""

from xinsheng.engage.quizzes.permissions import QUIZ_ACTIONS

ACTIONS = {**QUIZ_ACTIONS}
