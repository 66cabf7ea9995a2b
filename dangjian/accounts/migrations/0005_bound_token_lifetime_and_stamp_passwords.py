"""No token lives forever: an existing token expires at the latest a year after it was made. Existing
accounts count their password's age from this migration (not from date_joined), so an administrator is
asked to change it in 90 days rather than at the first login after the upgrade."""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone

MAX_DAYS = 365


def forwards(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    User = apps.get_model("accounts", "User")
    for token in ApiToken.objects.only("pk", "created_at", "expires_at").iterator():
        latest = token.created_at + timedelta(days=MAX_DAYS)
        if token.expires_at is None or token.expires_at > latest:
            ApiToken.objects.filter(pk=token.pk).update(expires_at=latest)
    User.objects.filter(password_changed_at__isnull=True).update(password_changed_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_password_age_token_scope_and_use")]

    # Backwards leaves the data as it is: a shorter lifetime and a stamp are harmless to keep.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
