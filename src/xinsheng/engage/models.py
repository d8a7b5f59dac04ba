"""Surveys and quizzes keep their models beside their code; Django finds them through here."""

from xinsheng.engage.quizzes.models import Attempt, Campaign, Question, Round
from xinsheng.engage.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyAnswerCase,
    SurveyExportJob,
    SurveyQuestion,
    SurveyResponse,
    SurveyTally,
)

__all__ = [
    "Attempt",
    "Campaign",
    "Question",
    "Round",
    "Survey",
    "SurveyAnswer",
    "SurveyAnswerCase",
    "SurveyExportJob",
    "SurveyQuestion",
    "SurveyResponse",
    "SurveyTally",
]
