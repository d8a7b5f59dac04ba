"""Online quizzes (在线答题): a question bank, campaigns of rounds, attempts, leaderboards and the
答题达人 a campaign's rule names."""
