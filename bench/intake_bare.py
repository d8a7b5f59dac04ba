"""The ceiling of the intake benchmark: a bare Django view that inserts one row, and its URLs.

The view sits beside the whole site (same settings, middleware and database connection
handling), so that the only difference from the public intake API is the work done per request.
Its row goes through the ORM into a table of the platform (the audit log, which takes one insert
and nothing else), as any Django view would write it.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from xinsheng.core.models import AuditEvent
from xinsheng.urls import urlpatterns as site_urlpatterns


@csrf_exempt
def bare_insert(request: HttpRequest) -> HttpResponse:
    """Insert one row holding the request's key; answer with its id."""
    row = AuditEvent.objects.create(
        action="bench.bare",
        object_type="bench",
        object_id=request.headers.get("Idempotency-Key", "")[:64],
        note=request.body.decode()[:500],
    )
    return JsonResponse({"id": row.pk}, status=201)


urlpatterns = [path("bench/bare", bare_insert), *site_urlpatterns]
