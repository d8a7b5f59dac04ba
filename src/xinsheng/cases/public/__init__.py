"""The employee's pages: the form behind a QR code, the follow-up page and the rating."""
