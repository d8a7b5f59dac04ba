"""Settings come from the environment; production defaults are safe."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.test import Client

from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.org.choices import Role

PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "debug": settings.DEBUG,
    "hasher": settings.PASSWORD_HASHERS[0],
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "secret": settings.SECRET_KEY,
    "secure_cookies": settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "tz": settings.TIME_ZONE,
    "lang": settings.LANGUAGE_CODE,
    "tasks": settings.TASKS["default"]["BACKEND"],
}))
"""


def read_settings(tmp_path: Path, **env: str) -> dict[str, object]:
    """Import the settings in a fresh interpreter (not under pytest) with ``env``."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    clean.update(
        {
            "DJANGO_SETTINGS_MODULE": "xinsheng.settings",
            "XINSHENG_VAR_DIR": str(tmp_path / "var"),
            **env,
        }
    )
    code = "import django; django.setup()\n" + PROBE
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env=clean,
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_production_defaults(tmp_path: Path) -> None:
    first = read_settings(tmp_path)
    assert first["debug"] is False
    assert first["hasher"] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert first["engine"] == "django.db.backends.sqlite3"
    assert first["db_name"] == str(tmp_path / "var" / "xinsheng.sqlite3")
    assert (first["tz"], first["lang"]) == ("Asia/Shanghai", "zh-hans")
    assert first["tasks"] == "django_tasks_db.DatabaseBackend"
    assert first["secure_cookies"] is False
    # The generated secret key is kept and reused
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0
    assert read_settings(tmp_path)["secret"] == first["secret"]


def test_environment_overrides(tmp_path: Path) -> None:
    values = read_settings(
        tmp_path,
        DATABASE_URL="postgres://xs:pw@db.internal:5432/xinsheng",
        SECRET_KEY="k" * 60,
        HTTPS="1",
        DEBUG="no",
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["db_name"] == "xinsheng"
    assert values["secret"] == "k" * 60
    assert values["secure_cookies"] is True
    assert values["hsts"] == 31536000
    assert not (tmp_path / "var" / "secret_key").exists()


def test_security_headers(client: Client, db: None) -> None:
    response = client.get("/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_repeated_login_failures_lock_the_account_out(client: Client, tree: Tree) -> None:
    make_staff(tree.mine1, Role.DISPATCHER, username="wangli")
    for _ in range(5):
        response = client.post("/login/", {"username": "wangli", "password": "wrong"})
    # Even the right password is refused now, with a Chinese explanation
    response = client.post("/login/", {"username": "wangli", "password": "pw-for-tests"})
    assert response.status_code == 429
    assert "暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_reaches_the_home_page(client: Client, tree: Tree) -> None:
    make_staff(tree.mine1, Role.DISPATCHER, username="wangli")
    response = client.post(
        "/login/", {"username": "wangli", "password": "pw-for-tests"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "一矿" in response.content.decode()


def test_a_form_without_its_security_token_gets_a_chinese_page(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "请刷新页面后重试" in response.content.decode()
