import datetime as dt
from types import SimpleNamespace

from gunicorn.config import Config

from xinsheng.core.gunicorn_logging import PrivateAccessLogger, redact


def test_receipt_codes_are_blanked_in_paths() -> None:
    assert redact("GET /api/v1/receipts/ABCD-EFGH-JKMN-PQRS-TVWX HTTP/1.1") == (
        "GET /api/v1/receipts/… HTTP/1.1"
    )
    assert redact("POST /api/v1/receipts/ABCD-EFGH/rating HTTP/1.1") == (
        "POST /api/v1/receipts/…/rating HTTP/1.1"
    )
    assert redact("GET /cases/ HTTP/1.1") == "GET /cases/ HTTP/1.1"


def test_the_access_log_keeps_no_address_agent_or_receipt() -> None:
    logger = PrivateAccessLogger(Config())
    environ = {
        "REMOTE_ADDR": "203.0.113.77",
        "HTTP_USER_AGENT": "Distinctive-Agent/1.0",
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/api/v1/receipts/ABCD-EFGH-JKMN-PQRS-TVWX",
        "PATH_INFO": "/api/v1/receipts/ABCD-EFGH-JKMN-PQRS-TVWX",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": "",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("USER-AGENT", "Distinctive-Agent/1.0")])
    atoms = logger.atoms(response, request, environ, dt.timedelta(milliseconds=5))
    text = " ".join(str(value) for value in atoms.values())
    assert "203.0.113.77" not in text
    assert "Distinctive-Agent" not in text
    assert "ABCD-EFGH" not in text
