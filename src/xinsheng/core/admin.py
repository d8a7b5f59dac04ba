from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xinsheng.core.models import AuditEvent, NonWorkingDay, SheetImportJob


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Show rows; never add, change or delete them (what services write, the admin only shows)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: audit events are appended by services, never edited."""

    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "note"]


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(admin.ModelAdmin[NonWorkingDay]):
    list_display = ["date", "note"]


@admin.register(SheetImportJob)
class SheetImportJobAdmin(admin.ModelAdmin[SheetImportJob]):
    """Read-only: imports are made and applied through their import pages."""

    list_display = [
        "created_at",
        "kind",
        "actor",
        "file_name",
        "status",
        "checked_at",
        "applied_at",
    ]
    list_filter = ["kind", "status"]
    list_select_related = ["actor"]
    exclude = ["content"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
