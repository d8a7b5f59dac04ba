"""Talk and visit records (谈心走访记录): writing them, their ledger, its Excel and its API."""
