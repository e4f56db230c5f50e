"""Consent joins the resident's file: the model moves here from the privacy app, on its
existing table ``privacy_consent`` (state only, no data is copied)."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0001_initial"),
        ("privacy", "0002_consent_moves_to_residents"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Consent",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("purpose", models.CharField(max_length=40, verbose_name="doel")),
                        ("wording_version", models.PositiveSmallIntegerField(verbose_name="versie van de tekst")),
                        ("wording_text", models.TextField(verbose_name="getoonde tekst")),
                        ("language", models.CharField(blank=True, max_length=10, verbose_name="taal")),
                        ("given_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="gegeven op")),
                        ("on_behalf", models.BooleanField(default=False, verbose_name="namens de inwoner")),
                        ("reason", models.TextField(blank=True, verbose_name="reden")),
                        ("withdrawn_at", models.DateTimeField(blank=True, null=True, verbose_name="ingetrokken op")),
                        ("withdrawal_reason", models.TextField(blank=True, verbose_name="reden van intrekken")),
                        ("superseded_at", models.DateTimeField(blank=True, null=True, verbose_name="vervangen op")),
                        ("recorded_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="vastgelegd door")),
                        ("resident", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="consents", to="residents.resident")),
                        ("withdrawn_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="ingetrokken door")),
                    ],
                    options={
                        "verbose_name": "toestemming",
                        "verbose_name_plural": "toestemmingen",
                        "db_table": "privacy_consent",
                        "ordering": ["-given_at"],
                        "indexes": [models.Index(fields=["purpose", "wording_version"], name="privacy_con_purpose_62d452_idx")],
                        "constraints": [models.UniqueConstraint(condition=models.Q(("superseded_at__isnull", True), ("withdrawn_at__isnull", True)), fields=("resident", "purpose"), name="one_active_consent_per_purpose")],
                    },
                )
            ],
        )
    ]
