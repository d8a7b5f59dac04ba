"""Administration of projects: shown for reference only.

Projects change through their services and pages (each write audited), so nothing can be added,
changed or deleted here.
"""

from django.contrib import admin

from xinsheng.core.admin import ReadOnlyAdmin
from xinsheng.projects.models import CommitmentBody, Project


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["title", "owner_unit", "kind", "status", "progress", "due_date"]
    list_filter = ["status", "kind"]
    search_fields = ["title"]


@admin.register(CommitmentBody)
class CommitmentBodyAdmin(ReadOnlyAdmin):
    list_display = ["name", "unit", "held_on"]
