"""Surveys (调查问卷): built by staff, answered on a phone without login, results per unit."""
