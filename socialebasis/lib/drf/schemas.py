"""The error bodies of /api/v1/ in the OpenAPI document (``OpenApiResponse(...)``)."""

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
