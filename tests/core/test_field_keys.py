"""ID-number keys rotate: encrypt with the newest, decrypt with any, re-encrypt in resumable batches; the
blind index keeps its own key, so lookups by ID number survive the rotation."""

from __future__ import annotations

import hashlib
import hmac
import subprocess
import sys
from datetime import date

import pytest
from cryptography.fernet import InvalidToken
from django.core.management import call_command

from dangjian.audit.models import AuditEvent
from dangjian.core import crypto
from dangjian.core.idnumbers import make_id_number
from dangjian.core.models import Person
from dangjian.core.selectors import search_people
from dangjian.core.services import field_keys
from tests import factories as f

NUMBER = make_id_number("110101", date(1985, 6, 1), 4, female=False)


@pytest.fixture
def old_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["old-key"]
    settings.FIELD_BLIND_INDEX_KEY = "old-key"
    return settings


def _people(n: int) -> list[Person]:
    return [f.person(f"人员{i}") for i in range(n)]


def test_the_blind_index_is_derived_as_before_rotation_existed(settings) -> None:
    legacy = hmac.new(
        hashlib.sha256(b"blind-index\x00" + settings.FIELD_ENCRYPTION_KEY.encode()).digest(),
        NUMBER.encode(),
        hashlib.sha256,
    ).hexdigest()
    assert crypto.blind_index(NUMBER) == legacy
    settings.FIELD_ENCRYPTION_KEYS = ["a-new-key", settings.FIELD_ENCRYPTION_KEY]
    assert crypto.blind_index(NUMBER) == legacy  # the encryption keys do not move it


def test_the_newest_key_encrypts_and_any_listed_key_decrypts(old_key) -> None:
    token = crypto.encrypt(NUMBER)
    old_key.FIELD_ENCRYPTION_KEYS = ["new-key", "old-key"]
    assert crypto.decrypt(token) == NUMBER and not crypto.under_newest_key(token)
    assert crypto.under_newest_key(crypto.encrypt(NUMBER))
    old_key.FIELD_ENCRYPTION_KEYS = ["new-key"]
    with pytest.raises(InvalidToken):
        crypto.decrypt(token)


def test_after_rotation_the_old_key_can_go_and_people_are_still_found_by_id_number(
    db, old_key, capsys
) -> None:
    people = _people(5)
    number = crypto.decrypt(people[3].id_number_encrypted)
    people[3].title = "教授"  # a second history row, also under the old key
    people[3].save()

    old_key.FIELD_ENCRYPTION_KEYS = ["new-key", "old-key"]
    call_command("rotate_field_keys", batch_size=2)
    assert "done: 11 values re-encrypted" in capsys.readouterr().out  # 5 people, 6 history rows
    old_key.FIELD_ENCRYPTION_KEYS = ["new-key"]

    for person in Person.objects.all():
        assert crypto.decrypt(person.id_number_encrypted)
    for row in Person.history.all():
        assert crypto.decrypt(row.id_number_encrypted)
    assert list(search_people(Person.objects.all(), number)) == [people[3]]
    events = AuditEvent.objects.filter(action="field_keys.rotate")
    assert sum(e.changes["rows"] for e in events) == 11 and events.count() == 6  # one per batch, not per row


def test_an_interrupted_rotation_completes_when_run_again(db, old_key) -> None:
    _people(5)
    old_key.FIELD_ENCRYPTION_KEYS = ["new-key", "old-key"]
    batches: list[field_keys.RotatedBatch] = []

    def crash_after_the_first(batch: field_keys.RotatedBatch) -> None:
        batches.append(batch)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        field_keys.field_keys_rotate(actor=None, batch_size=2, progress=crash_after_the_first)
    assert batches[0].reencrypted == 2
    assert field_keys.field_keys_rotate(actor=None, batch_size=2) == 3 + 5  # the rest, and the history
    assert field_keys.field_keys_rotate(actor=None, batch_size=2) == 0
    old_key.FIELD_ENCRYPTION_KEYS = ["new-key"]
    assert all(crypto.decrypt(p.id_number_encrypted) for p in Person.objects.all())


def _settings_with(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; print(s.FIELD_ENCRYPTION_KEYS, s.FIELD_BLIND_INDEX_KEY)",
        ],
        env={
            "PATH": "/usr/bin:/bin",
            "DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "s",
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_settings_keep_the_original_key_for_the_blind_index_while_rotating() -> None:
    result = _settings_with(FIELD_ENCRYPTION_KEY="old", FIELD_ENCRYPTION_KEYS="new,old")
    assert result.stdout.strip() == "['new', 'old'] old"
    result = _settings_with(FIELD_ENCRYPTION_KEYS="new", FIELD_BLIND_INDEX_KEY="old")
    assert result.stdout.strip() == "['new'] old"


def test_without_a_blind_index_key_the_process_refuses_to_start() -> None:
    result = _settings_with(FIELD_ENCRYPTION_KEYS="new")
    assert result.returncode != 0 and "FIELD_BLIND_INDEX_KEY" in result.stderr
