"""Funds and payments: money in, money out, never edited."""
