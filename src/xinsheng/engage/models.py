"""Surveys and quizzes keep their models beside their code; Django finds them through here."""

from xinsheng.engage.quizzes.models import Attempt, Campaign, Question, Round

__all__ = ["Attempt", "Campaign", "Question", "Round"]
