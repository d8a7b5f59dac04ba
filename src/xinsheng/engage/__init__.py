"""Surveys (调查问卷) and quizzes (在线答题) with their leaderboards and 答题达人."""
