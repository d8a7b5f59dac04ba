"""API endpoints of talks (requests); ``v1_urls`` is included under /api/v1/."""

from django.urls import URLPattern, URLResolver

v1_urls: list[URLPattern | URLResolver] = []
