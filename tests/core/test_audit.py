import pytest

from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.core.models import AppendOnlyError, AuditEvent
from xinsheng.org import services
from xinsheng.org.choices import Role


def test_audit_events_cannot_be_changed_or_deleted(tree: Tree) -> None:
    admin = make_staff(tree.group, Role.ADMINISTRATOR)
    services.unit_update(
        actor=admin, unit=tree.mine1, name="一矿（新）", kind="mine", is_active=True
    )
    event = AuditEvent.objects.get(action="unit.update")
    event.note = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).note == ""
