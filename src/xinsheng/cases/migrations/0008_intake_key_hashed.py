"""Replace the plain ``Case.intake_key`` by keyed hashes of the key and of the voice.

The idempotency key is now scoped to the unit and bound to the voice it was sent with (see
``cases/intake/idempotency.py``): ``intake_key_hash`` (unique) holds HMAC-SHA256 under the
secret key of the unit's code and the key, ``intake_body_hash`` the keyed hash of the voice.

Existing plain keys are dropped, not hashed. A key is transient (a retry comes within seconds or
minutes of the first attempt), and an old key could not be replayed anyway: its receipt code was
derived from the key alone, which is the flaw this change removes, and the voice it was sent with
cannot be rebuilt exactly from the stored, normalised row. Dropping the column removes every
plain key from the database; a retry in flight across the upgrade makes a second case.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0007_drop_ledgerimportjob"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="case",
            name="intake_key",
        ),
        migrations.AddField(
            model_name="case",
            name="intake_key_hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="case",
            name="intake_body_hash",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("intake_body_hash__isnull", True), ("intake_key_hash__isnull", True)
                )
                | models.Q(
                    ("intake_body_hash__isnull", False), ("intake_key_hash__isnull", False)
                ),
                name="cases_intake_key_has_body",
            ),
        ),
    ]
