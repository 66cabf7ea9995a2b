"""Encryption at rest and blind indexes for personal identifiers (PIPL; DOMAIN.md §8).

Encryption keys rotate: ``FIELD_ENCRYPTION_KEYS`` lists them newest first (``FIELD_ENCRYPTION_KEY`` is the
one-key form existing deployments set). New values are encrypted with the newest, any listed key decrypts
(MultiFernet), and ``manage.py rotate_field_keys`` re-encrypts old values so an old key can be dropped.

The blind index has its own key, ``FIELD_BLIND_INDEX_KEY`` (by default the original
``FIELD_ENCRYPTION_KEY``, derived exactly as before, so existing indexes stay valid). It never rotates: an
index is a keyed hash of the number, not a ciphertext, so it cannot be re-computed without the plain
numbers — and a lookup or the uniqueness check under a new key would miss every row indexed under the
old one. Rotating it would mean decrypting every number and re-indexing in one go; the key only lets
someone confirm a guessed number, it decrypts nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@lru_cache(maxsize=16)
def _derive(label: bytes, key_material: str) -> bytes:
    return hashlib.sha256(label + b"\x00" + key_material.encode()).digest()


@lru_cache(maxsize=16)
def _fernet(key_material: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"encrypt", key_material)))


def _keys() -> tuple[str, ...]:
    keys = tuple(k for k in settings.FIELD_ENCRYPTION_KEYS if k)
    if not keys:
        raise RuntimeError("FIELD_ENCRYPTION_KEYS is empty")
    return keys


@lru_cache(maxsize=8)
def _multi(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([_fernet(k) for k in keys])


def encrypt(value: str) -> str:
    """Encrypted with the newest key."""
    return _multi(_keys()).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypted with whichever listed key it was encrypted with."""
    return _multi(_keys()).decrypt(token.encode()).decode()


def decrypter() -> Callable[[str], str]:
    """``decrypt`` for many tokens (an export): the keys and their MultiFernet resolved once."""
    multi = _multi(_keys())

    def run(token: str) -> str:
        return multi.decrypt(token.encode()).decode()

    return run


def under_newest_key(token: str) -> bool:
    try:
        _fernet(_keys()[0]).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def reencrypted(token: str) -> str:
    """The same value encrypted with the newest key (raises InvalidToken if no listed key opens it)."""
    return _multi(_keys()).rotate(token.encode()).decode()


@lru_cache(maxsize=4)
def _index_hmac(key_material: str) -> hmac.HMAC:
    return hmac.new(_derive(b"blind-index", key_material), digestmod=hashlib.sha256)


def blind_index(value: str) -> str:
    """HMAC of the normalised value: exact lookup and uniqueness without storing the value. (The keyed
    HMAC is set up once and copied: an import computes one per row.)"""
    mac = _index_hmac(settings.FIELD_BLIND_INDEX_KEY).copy()
    mac.update(value.encode())
    return mac.hexdigest()
