"""Write a local .env for development and the demo (random keys, DEBUG and DEMO_MODE on) if none exists."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

env_file = Path(__file__).resolve().parent.parent / ".env"
if env_file.exists():
    sys.exit(0)
env_file.write_text(
    "# Local development / demo settings, written by `make demo`. Never use these in production.\n"
    "DEBUG=1\n"
    "DEMO_MODE=1\n"
    f"SECRET_KEY={secrets.token_urlsafe(40)}\n"
    f"FIELD_ENCRYPTION_KEY={secrets.token_urlsafe(40)}\n",
    encoding="utf-8",
)
print(f"wrote {env_file.name} (development settings: DEBUG=1, DEMO_MODE=1, random keys)")
