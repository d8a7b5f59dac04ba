"""What forms look up by what a user types: a unit by its code, a person by employee number,
each only within what the user may see, else a form error in Chinese."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.org import selectors as org_selectors
from xinsheng.org.models import OrgUnit, Person


def unit_of(actor: Actor, code: str) -> OrgUnit:
    """Return the unit of ``code`` the actor may see, or a form error."""
    try:
        return org_selectors.unit_get_for(actor=actor, code=code)
    except NotFound:
        raise forms.ValidationError(
            _("找不到单位代码“%(code)s”，或该单位不在您的查看范围内。") % {"code": code}
        ) from None


def person_of(actor: Actor, number: str) -> Person:
    """Return the person of employee number ``number`` the actor may see, or a form error."""
    try:
        return org_selectors.person_get_for(actor=actor, employee_no=number)
    except NotFound:
        raise forms.ValidationError(
            _("找不到工号“%(no)s”的人员，或其不在您的范围内。") % {"no": number}
        ) from None
