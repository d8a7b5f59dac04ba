from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from xinsheng.org.models import OrgUnit, Person, RoleAssignment


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
