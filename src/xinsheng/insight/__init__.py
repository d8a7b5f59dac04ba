"""Understanding Chinese voices: clean, classify and route them, find similar ones, hot topics."""
