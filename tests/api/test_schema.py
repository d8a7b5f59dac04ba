"""The OpenAPI schema at /api/schema/ and the documentation page at /api/docs/."""

import re

from django.contrib.staticfiles import finders
from django.test import Client
from drf_spectacular.validation import validate_schema


def test_the_schema_is_valid_openapi_naming_every_endpoint(client: Client, db: None) -> None:
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/units",
        "/api/v1/units/{code}",
    } <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"
    not_found = schema["paths"]["/api/v1/units/{code}"]["get"]["responses"]["404"]
    assert not_found["content"]["application/json"]["schema"]["$ref"].endswith("/Error")


def test_the_docs_page_uses_only_assets_served_by_this_installation(
    client: Client, db: None
) -> None:
    response = client.get("/api/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "http://" not in page
    assert "https://" not in page
    assert "<style" not in page
    assert re.search(r"<script>", page) is None  # no inline script: the policy refuses it
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    scripts = [asset for asset in assets if not asset.startswith("/static/")]
    assert len(assets) >= 4
    for asset in assets:
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), asset

    # Swagger UI's start-up script is the page's own, served beside it
    assert len(scripts) == 1
    assert scripts[0].startswith("/api/docs/?")
    script = client.get(scripts[0].replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    code = script.content.decode()
    assert "/api/schema/" in code
    assert '"validatorUrl": null' in code
    assert "http://" not in code
    assert "https://" not in code
