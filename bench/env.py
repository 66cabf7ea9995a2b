"""The keys every bench process uses, so that what one process encrypts or signs (the seed's ID numbers,
a check-in code) the next one reads: the seed (bench.run), the province, org-life and statistics benches
and the gunicorn they start. A key already in the environment wins."""

from __future__ import annotations

KEYS = {
    "SECRET_KEY": "insecure-bench-key",
    "FIELD_ENCRYPTION_KEY": "insecure-bench-field-key",
}


def with_keys(env: dict[str, str]) -> dict[str, str]:
    for name, value in KEYS.items():
        env.setdefault(name, value)
    return env
