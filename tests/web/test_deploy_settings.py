"""`manage.py check --deploy` is clean with the production settings and a production-like environment."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(**overrides: str) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": "/tmp",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "dangjian.example.edu.cn",
        "DEMO_MODE": "0",  # the environment wins over a developer's .env (DEBUG=1, DEMO_MODE=1)
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **overrides,
    }


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = check_deploy(production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_would_catch_a_weakened_setting() -> None:
    result = check_deploy(production_env(SECURE_SSL_REDIRECT="0"))
    assert result.returncode != 0 and "security.W008" in result.stdout + result.stderr
