"""Test settings: the production settings with throwaway keys and a fast password hasher."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "test-only-field-encryption-key")
os.environ.setdefault("DEMO_MODE", "0")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP
OTP_REQUIRED_FOR_ADMIN_ROLES = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DASHBOARD_CACHE_SECONDS = 0  # tests see every change at once

# A module of nothing but contributions.py (tests/hooks/dummy_module): it proves that a module plugs
# in everywhere with this one line; its pieces show only under DUMMY_MODULE_ON (its tests turn it on).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.hooks.dummy_module"]  # noqa: F405
DUMMY_MODULE_ON = False
