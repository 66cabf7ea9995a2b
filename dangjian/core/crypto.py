"""Encryption at rest and blind indexes for personal identifiers (PIPL; DOMAIN.md §8)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings


def _derive(label: bytes) -> bytes:
    return hashlib.sha256(label + b"\x00" + settings.FIELD_ENCRYPTION_KEY.encode()).digest()


@lru_cache(maxsize=4)
def _fernet(key_material: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"encrypt")))


def encrypt(value: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()


def blind_index(value: str) -> str:
    """HMAC of the normalised value: exact lookup and uniqueness without storing the value."""
    return hmac.new(_derive(b"blind-index"), value.encode(), hashlib.sha256).hexdigest()
