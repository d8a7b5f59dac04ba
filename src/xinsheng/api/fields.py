"""Serializer fields every app's API uses."""

from typing import Any

from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers


class EnumField(serializers.ChoiceField):
    """A field taking one of our choice sets, named after it in the schema (``CaseKindEnum``).

    Units, cases and events each have a ``kind``; named by field, their enums would collide.
    """

    def __init__(self, choices_class: type[models.TextChoices], **kwargs: Any) -> None:
        self.choices_class = choices_class
        super().__init__(choices=choices_class.choices, **kwargs)


class EnumFieldExtension(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]
    """Describe an ``EnumField`` as a schema component named after its choice set."""

    target_class = EnumField

    def get_name(self) -> str:
        return f"{self.target.choices_class.__name__}Enum"

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        choices = self.target.choices_class
        lines = [f"* `{value}` - {label}" for value, label in choices.choices]
        return {"type": "string", "enum": list(choices.values), "description": "\n".join(lines)}


class BlankAsNullField(serializers.CharField):
    """Text that is empty in the database, shown as null."""

    def to_representation(self, value: Any) -> Any:
        return str(value) if value else None
