"""Rationalisation proposals (合理化建议): windows, evaluation, adoption, implementation, reward."""
