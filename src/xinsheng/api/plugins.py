"""What the JSON API adds to the platform (see ``xinsheng.core.plugins``)."""

from xinsheng.api import services
from xinsheng.core.plugins import UrlMount

URLS = (UrlMount("api/", "xinsheng.api.urls", order=60),)
ON_SIGN_OUT = (services.token_revoke_at_sign_out,)
