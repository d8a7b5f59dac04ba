"""Figures, the dashboard, rankings, the Excel ledger and briefings, each recounting its cases."""
