"""Talk requests (接受约谈): an employee asks for a talk, and the unit arranges it.

An employee asks by name from their unit's public page (the QR code's form links to it), or a
recorder writes down a request heard in person. Either way the employee gets a receipt code, of
which only the hash is kept, and follows the request with it. The unit's handlers are told of a
new request; they schedule it (time, place, host), then mark it held, or decline it with a reason
the employee sees. A request left unscheduled for more than ``TALK_REQUEST_WAIT_DAYS`` working
days is flagged overdue.
"""
