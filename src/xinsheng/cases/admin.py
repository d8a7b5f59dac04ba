"""Administration of the cases app.

Categories are configuration: administrators edit them here, each change audited. Intake points,
cases and their events are shown for reference only: the loop changes them through its services
and pages, so nothing about them can be added, changed or deleted here.
"""

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from xinsheng.cases.ledger.models import LedgerExportJob
from xinsheng.cases.models import Case, CaseEvent, Category, IntakePoint
from xinsheng.core.admin import ReadOnlyAdmin
from xinsheng.core.audit import audit_record, snapshot
from xinsheng.org import permissions

CATEGORY_FIELDS: list[str] = [
    "code",
    "name",
    "english_name",
    "deadline_days",
    "urgent_deadline_days",
    "keywords",
    "is_active",
    "position",
]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    """Categories and their default deadlines; deactivate one instead of deleting it."""

    list_display = [
        "code",
        "name",
        "english_name",
        "deadline_days",
        "urgent_deadline_days",
        "is_active",
        "position",
    ]
    list_display_links = ["code"]
    list_editable = ["name", "deadline_days", "urgent_deadline_days", "is_active", "position"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "english_name"]
    fields = tuple(CATEGORY_FIELDS)

    def _may_manage(self, request: HttpRequest) -> bool:
        """Return whether the user administers a whole tree (categories apply everywhere)."""
        roots = permissions.units_for(request.user, "category.manage").filter(depth=1)
        return roots.exists()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and self._may_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: Category | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._may_manage(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # cases keep their category; an unused one is deactivated

    def save_model(
        self, request: HttpRequest, obj: Category, form: ModelForm[Category], change: bool
    ) -> None:
        before = None
        if change:
            before = snapshot(Category.objects.get(pk=obj.pk), CATEGORY_FIELDS)
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="category.update" if change else "category.create",
            obj=obj,
            before=before,
            after=snapshot(obj, CATEGORY_FIELDS),
            note="admin",
        )


@admin.register(IntakePoint)
class IntakePointAdmin(ReadOnlyAdmin):
    """QR codes of units; enabled, disabled and rotated from the unit's QR page."""

    list_display = ["unit", "is_enabled", "rotated_at", "created_at"]
    list_filter = ["is_enabled"]
    list_select_related = ["unit"]
    search_fields = ["unit__code", "unit__name"]
    exclude = ["token"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """Cases, for reference; the ledger and the case pages are where they are worked on."""

    list_display = [
        "case_no",
        "title",
        "kind",
        "channel",
        "status",
        "category",
        "origin_unit",
        "responsible_unit",
        "deadline",
        "is_overdue",
        "created_at",
    ]
    list_filter = ["status", "kind", "channel", "is_overdue", "category"]
    list_select_related = ["category", "origin_unit", "responsible_unit"]
    search_fields = ["case_no"]
    show_full_result_count = False
    exclude = ["receipt_hash", "intake_key_hash", "intake_body_hash"]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    """The append-only timeline of every case."""

    list_display = ["at", "case", "kind", "from_status", "to_status", "actor", "unit", "is_public"]
    list_filter = ["kind", "is_public"]
    list_select_related = ["case", "actor", "unit"]
    search_fields = ["case__case_no"]
    show_full_result_count = False


@admin.register(LedgerExportJob)
class LedgerExportJobAdmin(ReadOnlyAdmin):
    """Exports of the ledger: who took out which rows, and when."""

    list_display = ["created_at", "owner", "status", "total_rows", "background", "finished_at"]
    list_filter = ["status", "background"]
    list_select_related = ["owner"]
    exclude = ["file"]
