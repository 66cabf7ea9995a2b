"""The 书记信箱's public writers' contacts are encrypted with the people's ID numbers' keys and
declared in ``hooks.encrypted_fields``: a key rotation re-encrypts them too."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from dangjian.core import crypto
from dangjian.core.services import field_keys
from dangjian.mailbox.models import Letter


@pytest.fixture
def old_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["old-key"]
    settings.FIELD_BLIND_INDEX_KEY = "old-key"
    return settings


def test_the_columns_modules_declare_rotate_too(old_key, world) -> None:
    """The 书记信箱's public writers' contacts are declared in ``hooks.encrypted_fields``."""
    letter = Letter.objects.create(
        organization=world.school,
        contact_encrypted=crypto.encrypt("13800000000"),
        subject="建议",
        body="建议增加自习室开放时间。",
        category="advice",
        submitted_at=timezone.now(),
        due_on=date(2026, 12, 7),
    )
    assert "mailbox.letter.contact_encrypted" in [c.label for c in field_keys.encrypted_columns()]
    old_key.FIELD_ENCRYPTION_KEYS = ["new-key", "old-key"]
    field_keys.field_keys_rotate(actor=None, batch_size=10)
    old_key.FIELD_ENCRYPTION_KEYS = ["new-key"]
    letter.refresh_from_db()
    assert crypto.decrypt(letter.contact_encrypted) == "13800000000"
