import uuid

from django.db import models

from socialebasis.lib.guard import ProtectedManager


class Note(models.Model):
    """A note about a resident: personal data, so protected and linked to the file."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.CASCADE, related_name="example_notes"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProtectedManager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"note {self.pk}"

    @property
    def municipality(self):
        return self.resident.municipality  # access-ok: the note's own file
