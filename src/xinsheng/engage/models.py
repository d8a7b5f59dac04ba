"""Surveys and quizzes keep their models beside their code; Django finds them through here."""

from xinsheng.engage.surveys.models import (  # noqa: F401
    Survey,
    SurveyAnswer,
    SurveyAnswerCase,
    SurveyQuestion,
    SurveyResponse,
    SurveyTally,
)
