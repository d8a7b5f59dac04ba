"""Surveys and quizzes keep their models beside their code; Django finds them through here."""
