"""Consent moves to the residents app (residents/0002 takes it over in the migration state).

The table ``privacy_consent`` stays as it is: this only removes the model from the privacy
app's state, so the base app no longer has a model that points at a domain app."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Consent")], database_operations=[]
        )
    ]
