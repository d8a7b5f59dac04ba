"""Hardship files (困难职工档案), pairs (结对帮扶) and care visits."""
