"""The form base every page uses when a service checks the data once more."""

from collections.abc import Callable

from django import forms

from xinsheng.core.errors import InvalidInput


class ServiceForm(forms.Form):
    """A form whose data a service checks once more; its ``InvalidInput`` lands on the fields."""

    def add_service_error(self, error: InvalidInput) -> None:
        """Show ``error`` on the fields it names, or above the form when it names none."""
        if not error.fields:
            self.add_error(None, str(error.message))
            return
        for field, messages in error.fields.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, str(message))


def field_checked(clean: Callable[[object], str], value: object) -> str:
    """Return ``value`` cleaned by ``clean``, its ``InvalidInput`` turned into a field error."""
    try:
        return clean(value)
    except InvalidInput as error:
        raise forms.ValidationError(str(error.message)) from None


def date_input() -> forms.DateInput:
    """Return the phone-friendly date picker every date field uses."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
