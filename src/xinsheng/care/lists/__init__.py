"""Distribution lists (节日送温暖, 生日祝福, 开斋节慰问) and sanatorium batches (疗休养)."""
