"""The staff's work pages: the inboxes and a form for every step of the loop."""
