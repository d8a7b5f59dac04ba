"""URL patterns of an import kind's pages, for the app to include in its own URLconf."""

from django.urls import URLPattern, path

from xinsheng.core.sheets import views


def import_urls(kind: str, *, prefix: str = "", name: str) -> list[URLPattern]:
    """Return the pages of import ``kind`` under ``prefix``, named ``name``, ``name_template``,
    ``name_job``, ``name_job_status`` and ``name_apply`` (in the including app's namespace)."""
    args = {"kind": kind}
    return [
        path(prefix, views.import_start, args, name=name),
        path(f"{prefix}template.xlsx", views.import_template, args, name=f"{name}_template"),
        path(f"{prefix}<int:job_id>/", views.import_job, args, name=f"{name}_job"),
        path(
            f"{prefix}<int:job_id>/status/",
            views.import_job_status,
            args,
            name=f"{name}_job_status",
        ),
        path(f"{prefix}<int:job_id>/apply/", views.import_apply, args, name=f"{name}_apply"),
    ]
