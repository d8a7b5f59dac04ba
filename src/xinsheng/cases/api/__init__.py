"""API endpoints of the closed loop: public intake and follow-up, the ledger, and every action.

The public endpoints (intake, receipts) take no credentials and store nothing about the caller;
they are rate limited per client in the cache only. The staff endpoints read through the
selectors and write through the services, like the pages do: a case out of the caller's scope
answers 404 exactly like a missing one, an action the caller may not take 403, an action the case's
state does not allow 409 (code ``invalid_transition``), and bad input 400 with the fields.
"""
