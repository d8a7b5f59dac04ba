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
    assert "/api/schema/" in page
    assert "http://" not in page
    assert "https://" not in page
    assert '"validatorUrl": null' in page
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert len(assets) >= 3
    for asset in assets:
        assert asset.startswith("/static/")
        assert finders.find(asset.removeprefix("/static/")), asset
