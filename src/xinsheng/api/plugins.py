"""What the JSON API adds to the platform (see ``xinsheng.core.plugins``)."""

from xinsheng.core.plugins import UrlMount

URLS = (UrlMount("api/", "xinsheng.api.urls", order=60),)
