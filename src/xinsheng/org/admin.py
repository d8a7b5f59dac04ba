from django.contrib import admin
from django.http import HttpRequest
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from xinsheng.org.models import ImportJob, OrgUnit, Person, RoleAssignment


@admin.register(OrgUnit)
class OrgUnitAdmin(TreeAdmin):
    form = movenodeform_factory(OrgUnit)
    list_display = ["name", "code", "kind", "is_active"]
    search_fields = ["name", "code"]
    list_filter = ["kind", "is_active"]


class RoleInline(admin.TabularInline[RoleAssignment, Person]):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ["employee_no", "name", "unit", "position", "is_active"]
    search_fields = ["employee_no", "name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit", "user"]
    inlines = [RoleInline]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin[ImportJob]):
    """Read-only: imports are made and applied through the import pages."""

    list_display = ["created_at", "actor", "file_name", "status", "checked_at", "applied_at"]
    list_filter = ["status"]
    exclude = ["content"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
