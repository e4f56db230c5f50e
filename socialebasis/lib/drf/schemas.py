"""The OpenAPI document of /api/v1/: the error bodies (``OpenApiResponse(...)``) and the
schema of the filter parameters (``StrictFilterExtension``, registered by
``socialebasis.api``'s app config)."""

from django.core.validators import RegexValidator
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.utils import OpenApiResponse

from socialebasis.lib.drf.params import StrictBooleanFilter

VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Per parameter, the reasons it was rejected.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"radius": ["Afstand moet een geheel aantal meters zijn."]},
}
NOT_FOUND_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
PAGE_NOT_FOUND = {
    404: OpenApiResponse(NOT_FOUND_SCHEMA, description="A page past the last one"),
}


# ---------------------------------------------------------------- filter parameters


EMPTY = {"type": "string", "enum": [""]}
# Django's form fields refuse the NUL character in text (a 400).
NO_NUL = r"^[^\x00]*$"


def _optional_pattern(regex: str) -> str:
    """The validator's regex, also matching the empty value (an empty filter is no filter)."""
    return "^(?:" + regex.removeprefix("^").removesuffix("$") + ")?$"


def optional(schema: dict) -> dict:
    """``schema``, or the empty value, which leaves the filter off."""
    if "enum" in schema:
        return {**schema, "enum": [*(v for v in schema["enum"] if v != ""), ""]}
    if "pattern" in schema and schema["pattern"] != NO_NUL:
        return {**schema, "pattern": _optional_pattern(schema["pattern"])}
    if schema.get("type") == "string" and "format" not in schema:
        return schema
    return {"anyOf": [schema, EMPTY]}


class StrictFilterExtension(DjangoFilterExtension):
    """drf-spectacular's django-filter support, plus what our filters check: ``maxLength``
    (``max_length``), ``pattern`` (a ``RegexValidator``) and strict booleans, so that the
    document rejects exactly what the API rejects. An empty value leaves any filter off
    (django-filter), so every filter schema also allows the empty string."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        if isinstance(filter_field, StrictBooleanFilter):
            help_text = filter_field.extra.get("help_text") or ""
            return [
                build_parameter_type(
                    name=field_name,
                    schema=optional({"type": "boolean"}),
                    location="query",
                    description=f"{help_text} (true/1 or false/0)".strip(),
                )
            ]
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            schema = parameter["schema"]
            if filter_field.extra.get("max_length"):
                schema["maxLength"] = filter_field.extra["max_length"]
            for validator in filter_field.extra.get("validators", []):
                if isinstance(validator, RegexValidator) and not validator.inverse_match:
                    schema["pattern"] = validator.regex.pattern
            if schema.get("type") == "string" and not ({"pattern", "format", "enum"} & set(schema)):
                schema["pattern"] = NO_NUL
            parameter["schema"] = optional(schema)
        return parameters
