"""Intake points: the one-statement intake, rate limits, receipt codes and QR codes."""
