"""Settings, read from the environment (django-environ). See docs/deployment.md for every variable."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Demo mode: prints demo logins on the login page and does not enforce TOTP. Never in production.
DEMO_MODE = env.bool("DEMO_MODE", default=False)

_INSECURE_DEV_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
# ID numbers are encrypted with the first of FIELD_ENCRYPTION_KEYS (newest first) and decrypted with any
# of them; FIELD_ENCRYPTION_KEY is the one-key form (and, unless FIELD_BLIND_INDEX_KEY is set, the blind
# index's key). Rotation: docs/operations.md, 密钥轮换.
FIELD_ENCRYPTION_KEY = env.str("FIELD_ENCRYPTION_KEY", default="")
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
# Keys the blind index of ID numbers (lookups, uniqueness). Never rotates; by default the original
# FIELD_ENCRYPTION_KEY, so indexes written before rotation existed stay valid.
FIELD_BLIND_INDEX_KEY = env.str("FIELD_BLIND_INDEX_KEY", default="") or FIELD_ENCRYPTION_KEY
if not DEBUG:
    missing = [
        name
        for name, value in (
            ("SECRET_KEY", SECRET_KEY),
            ("FIELD_ENCRYPTION_KEY", FIELD_ENCRYPTION_KEY or "".join(FIELD_ENCRYPTION_KEYS)),
            ("FIELD_BLIND_INDEX_KEY", FIELD_BLIND_INDEX_KEY),
        )
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            "DEBUG 已关闭，但缺少必需的环境变量: "
            + ", ".join(missing)
            + "。请在环境或 .env 中设置它们 (见 docs/deployment.md)。"
            + " / DEBUG is off and these required variables are missing: "
            + ", ".join(missing)
        )
SECRET_KEY = SECRET_KEY or _INSECURE_DEV_KEY
FIELD_ENCRYPTION_KEY = FIELD_ENCRYPTION_KEY or _INSECURE_DEV_KEY + "-fields"
FIELD_ENCRYPTION_KEYS = [k for k in FIELD_ENCRYPTION_KEYS if k] or [FIELD_ENCRYPTION_KEY]
FIELD_BLIND_INDEX_KEY = FIELD_BLIND_INDEX_KEY or FIELD_ENCRYPTION_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "dangjian.web.admin_site.SystemAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "template_partials",
    "ninja",
    "django_cas_ng",  # CAS single logout: the session ↔ ticket table (unused while CAS is off)
    "dangjian.accounts",
    "dangjian.audit",
    "dangjian.core",
    "dangjian.workbench",
    "dangjian.jobs",
    "dangjian.dues",
    "dangjian.transfers",
    "dangjian.recruitment",
    "dangjian.orglife",
    "dangjian.learning",
    "dangjian.reporting",
    "dangjian.returns",
    "dangjian.insights",
    "dangjian.appraisal",
    "dangjian.onestop",
    "dangjian.news",
    "dangjian.mailbox",
    "dangjian.volunteer",
    "dangjian.spreadsheets",
    "dangjian.web",
    "dangjian.api",
    "dangjian.hooks",  # last: loads every app's contributions.py
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dangjian.web.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dangjian.web.middleware.RequestIdMiddleware",
    "dangjian.web.middleware.RejectNullCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dangjian.web.locale_middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "dangjian.accounts.middleware.ScopeMiddleware",
    "dangjian.accounts.middleware.IdleTimeoutMiddleware",
    "dangjian.accounts.middleware.OtpRequiredMiddleware",
    "dangjian.accounts.middleware.PasswordExpiryMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangjian.web.context_processors.shell",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
elif "postgresql" in DATABASES["default"]["ENGINE"] and not env.bool("DATABASE_JIT", default=False):
    # PostgreSQL compiles a query with JIT above a cost estimate meant for analytics: on a page's query
    # over a big table that costs ~70 ms of compiling to save a few (the school's transfers list at
    # province size: 76 ms of its 537). Pages are short queries; DATABASE_JIT=1 turns it back on.
    DATABASES["default"].setdefault("OPTIONS", {})
    existing = DATABASES["default"]["OPTIONS"].get("options", "")
    DATABASES["default"]["OPTIONS"]["options"] = f"{existing} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
# Redis down is not the site down: the cache degrades to "no cache" (dangjian/kit/cache.py), after at most
# these socket timeouts per call, and says so in the log once every CACHE_DOWN_LOG_SECONDS.
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.5)
CACHE_DOWN_LOG_SECONDS = env.int("CACHE_DOWN_LOG_SECONDS", default=60)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "dangjian.kit.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_timeout": CACHE_SOCKET_TIMEOUT,
                "socket_connect_timeout": CACHE_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "dangjian.accounts.backends.PersonModelBackend",
    # Campus 统一身份认证: always listed; each answers None while its setting below is empty.
    "dangjian.accounts.sso_backends.CasBackend",
    "dangjian.accounts.sso_backends.OidcBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "dangjian.accounts.password_rules.NotCurrentPasswordValidator"},
    {"NAME": "dangjian.accounts.password_rules.AdminPasswordValidator"},
]
# Administrative roles (the OTP set): a longer password of 3 of 4 character classes, changed every
# 90 days [等保 2.0 practice: 身份鉴别, 口令复杂度并定期更换]. The demo (DEMO_MODE) switches both off so every
# persona keeps demo12345; ADMIN_PASSWORD_MAX_AGE_DAYS=0 switches expiry off alone.
ADMIN_PASSWORD_RULES = env.bool("ADMIN_PASSWORD_RULES", default=not DEMO_MODE)
ADMIN_PASSWORD_MIN_LENGTH = env.int("ADMIN_PASSWORD_MIN_LENGTH", default=12)
ADMIN_PASSWORD_MAX_AGE_DAYS = env.int("ADMIN_PASSWORD_MAX_AGE_DAYS", default=90)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login lockout (django-axes): 5 failures, 30 minutes [local practice, configurable].
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dangjian.accounts.views.locked_out"
AXES_VERBOSE = False
# Lock by account, not by IP: a whole campus often sits behind one NAT address, and locking the IP would lock
# out everyone there after five typos. Hence axes.W006 is silenced on purpose.
# security.W021 (HSTS preload off) is silenced on purpose too: preloading is a school's own decision, hard to
# take back (SECURE_HSTS_PRELOAD below).
# models.W040: the embedded SQLite default builds covering indexes without their INCLUDE columns (the same
# index, less useful); PostgreSQL, the production database, builds them whole.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "security.W021", "models.W040"]

# Rate limits (dangjian/kit/ratelimit.py), counted in the cache (Redis): per user — the account typed into a
# login form, or the signed-in user — and per client IP. A whole campus may sit behind one NAT address, so
# the IP limits are generous and the tight ones are per user; axes still locks an account after failures.
# "<count>/<period>" with s, m, h or d (e.g. "20/10m"); null switches a part off. RATE_LIMITS in the
# environment is JSON merged over these, e.g. {"login": {"ip": "600/m"}}. The later news pages use "news".
_RATE_LIMIT_DEFAULTS: dict[str, dict[str, str | None]] = {
    "login": {"user": "10/m", "ip": "300/m"},  # web login and the API's token login
    "token": {"user": "10/h", "ip": "100/h"},  # creating API tokens
    # A 1,000-member assembly scans within a minute, often all behind one NAT address (bench/orglife.py
    # sends 1,100 scans from one address).
    "checkin": {"user": "20/m", "ip": "3000/m"},
    "password_reset": {"user": "5/h", "ip": "60/h"},  # the reset mail, per address typed and per IP
    "calendar_feed": {"user": "60/h", "ip": "6000/h"},  # per subscription token; calendar apps poll
    "proof_verify": {"ip": "60/m"},  # the public proof verification page
    "news": {"ip": "600/m"},  # the public news pages
    "mailbox": {"ip": "5/h"},  # 书记信箱: the public letter form (per IP; members have a daily cap)
    "mailbox_track": {"ip": "30/h"},  # 书记信箱: the public tracking page (codes are not to be guessed)
}
_rate_limit_overrides: dict[str, dict[str, str | None]] = env.json("RATE_LIMITS", default={})
RATE_LIMITS = {
    name: {**_RATE_LIMIT_DEFAULTS.get(name, {}), **_rate_limit_overrides.get(name, {})}
    for name in {**_RATE_LIMIT_DEFAULTS, **_rate_limit_overrides}
}

# TOTP is required for administrative roles unless switched off (the demo switches it off).
OTP_REQUIRED_FOR_ADMIN_ROLES = env.bool("OTP_REQUIRED_FOR_ADMIN_ROLES", default=not DEMO_MODE)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="智慧党建")

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
# Idle sessions end: after this many minutes without a request (administrative roles sooner). 0 = never.
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
ADMIN_SESSION_IDLE_TIMEOUT_MINUTES = env.int("ADMIN_SESSION_IDLE_TIMEOUT_MINUTES", default=15)

# Personal API tokens: the longest lifetime a user may choose (days).
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)

# Campus 统一身份认证 (single sign-on), off by default; local passwords always remain (demo, fallback).
# A login maps to a person by staff/student number and never grants roles (see docs/deployment.md).
SSO_CREATE_USERS = env.bool("SSO_CREATE_USERS", default=True)
# CAS (django-cas-ng): on when CAS_SERVER_URL is set, e.g. https://cas.example.edu.cn/cas/
CAS_SERVER_URL = env.str("CAS_SERVER_URL", default="")
CAS_VERSION = env.str("CAS_VERSION", default="3")
# "cas:user" = the CAS user name itself; otherwise the attribute holding the staff/student number.
CAS_USERNAME_ATTRIBUTE = env.str("CAS_USERNAME_ATTRIBUTE", default="cas:user")
CAS_VERIFY_SSL_CERTIFICATE = env.bool("CAS_VERIFY_SSL_CERTIFICATE", default=True)
CAS_LOGIN_MSG = None
CAS_LOGGED_MSG = None
CAS_CREATE_USER = False  # our backend maps users itself (dangjian/accounts/sso.py)
CAS_LOGOUT_COMPLETELY = True
CAS_LOGOUT_NEXT_PAGE = "/accounts/login/"
CAS_IGNORE_REFERER = True
# OIDC (mozilla-django-oidc): on when OIDC_RP_CLIENT_ID is set.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="") or None
# The provider's end_session_endpoint: logging out of an OIDC session logs out there too (optional).
OIDC_OP_LOGOUT_ENDPOINT = env.str("OIDC_OP_LOGOUT_ENDPOINT", default="")
# The claim holding the staff/student number.
OIDC_USERNAME_CLAIM = env.str("OIDC_USERNAME_CLAIM", default="preferred_username")
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_CREATE_USER = True  # "create" goes through our mapping, which only links existing persons
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
CSRF_FAILURE_VIEW = "dangjian.web.errors.csrf_failure"

# Security headers (docs/deployment.md, "Security headers and limits"). The reverse proxy terminates TLS and
# says so in X-Forwarded-Proto; it must overwrite that header from clients (the nginx example does).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe /healthz over plain HTTP: it is never redirected (patterns match the path without
# its leading slash).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is a promise to browsers that is hard to take back; a school opts in deliberately.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent by dangjian.web.security_headers. No inline script anywhere (behaviour in static/web/app.js, chart
# data in json_script blocks), so script-src is 'self' alone. style-src allows 'unsafe-inline' because
# Tabler's markup and our templates use style="…" attributes (widths, indents) and the stand-alone
# projector and print pages carry their own <style>; inline style cannot run code.
# A form may lead off the site only where a POST ends in a redirect elsewhere: the sign-on provider's logout
# and a payment gateway (CSP_FORM_ACTION_EXTRA, e.g. https://pay.example.com).
_form_targets = [
    "'self'",
    *(
        f"{parts.scheme}://{parts.netloc}"
        for parts in (urlsplit(u) for u in (CAS_SERVER_URL, OIDC_OP_LOGOUT_ENDPOINT) if u)
    ),
    *env.list("CSP_FORM_ACTION_EXTRA", default=[]),
]
CONTENT_SECURITY_POLICY = env.str(
    "CONTENT_SECURITY_POLICY",
    default=(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
        f"form-action {' '.join(_form_targets)}; object-src 'none'"
    ),
)
# On: the browser only reports violations (in its console) instead of blocking — for trying a changed policy.
CONTENT_SECURITY_POLICY_REPORT_ONLY = env.bool("CONTENT_SECURITY_POLICY_REPORT_ONLY", default=False)
# Check-in scans the QR code with the phone's own camera app, not in the page: no feature is needed.
PERMISSIONS_POLICY = env.str("PERMISSIONS_POLICY", default="camera=(), microphone=(), geolocation=()")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or REDIS_URL
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# A job whose enqueue failed (broker down) stays pending; beat's requeue-stale-jobs sends it again after this.
JOB_REQUEUE_AFTER_MINUTES = env.int("JOB_REQUEUE_AFTER_MINUTES", default=10)

# Per-school overrides of regulation numbers (see dangjian/policy.py), e.g. {"branch_max_members": 50}.
DANGJIAN_POLICY: dict[str, object] = env.json("DANGJIAN_POLICY", default={})
SCHOOL_NAME = env.str("SCHOOL_NAME", default="示范大学")
# Whom to ask for a new password when no mail server is configured (shown on the login page).
SUPPORT_CONTACT = env.str("SUPPORT_CONTACT", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "format": (
                "time=%(asctime)s level=%(levelname)s logger=%(name)s "
                "request_id=%(request_id)s msg=%(message)s"
            )
        }
    },
    "filters": {"request_id": {"()": "dangjian.web.middleware.RequestIdLogFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "structured", "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every layout step at INFO; fontTools its subsetting.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50

# E-mail copies of reminders (empty: in-app only), e.g. smtp+tls://user:password@smtp.example.edu.cn:587
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@localhost")

# Dashboard counts and the rule-check digest are cached this long per scope (0 = always live).
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)
# Per-user values every page needs, kept in the cache under a version read with the user row (ADR 0004):
# the resolved scope and the bell's unread count. The time only frees memory (a changed value is looked
# up under a new key at once); 0 reads them from the database on every request.
SCOPE_CACHE_SECONDS = env.int("SCOPE_CACHE_SECONDS", default=3600)
UNREAD_CACHE_SECONDS = env.int("UNREAD_CACHE_SECONDS", default=3600)

# 我的党费 → 如何交纳: the school's own instructions (account, QR, office hours); a default text otherwise.
DUES_HOW_TO_PAY = env.str("DUES_HOW_TO_PAY", default="")
# Online payment: a dotted path to a PaymentProvider (see the dues module's payments.py); empty = off.
DUES_PAYMENT_PROVIDER = env.str("DUES_PAYMENT_PROVIDER", default="")

# Excel imports: limits on an uploaded file, how many rows one all-or-nothing commit (one transaction)
# may write — a larger file is split by the user — and the batch size inside that transaction.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=30 * 1024 * 1024)
IMPORT_COMMIT_MAX_ROWS = env.int("IMPORT_COMMIT_MAX_ROWS", default=20_000)
IMPORT_BATCH_SIZE = env.int("IMPORT_BATCH_SIZE", default=500)
# 学习库 uploads: a PDF document, and an audio or video file (MB).
LEARNING_MAX_DOCUMENT_MB = env.int("LEARNING_MAX_DOCUMENT_MB", default=20)
LEARNING_MAX_MEDIA_MB = env.int("LEARNING_MAX_MEDIA_MB", default=200)
# 宣传稿件: the largest cover image (MB), a JPEG or PNG.
NEWS_COVER_MAX_MB = env.int("NEWS_COVER_MAX_MB", default=5)
# 宣传稿件 attachments (PDF, Word, Excel, PowerPoint, images, zip): the largest file (MB) and how many
# one article may carry.
NEWS_ATTACHMENT_MAX_MB = env.int("NEWS_ATTACHMENT_MAX_MB", default=20)
NEWS_ATTACHMENT_MAX_COUNT = env.int("NEWS_ATTACHMENT_MAX_COUNT", default=10)
# 宣传: group robots told of each newly published public article, off by default — a JSON list such as
# [{"kind": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"},
#  {"kind": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=…"}].
NEWS_WEBHOOKS = env.json("NEWS_WEBHOOKS", default=[])
NEWS_WEBHOOK_TIMEOUT = env.int("NEWS_WEBHOOK_TIMEOUT", default=5)  # seconds
# The public address of the site, for links that leave it (the robots' messages), e.g. https://dj.example.edu.cn
NEWS_SITE_URL = env.str("NEWS_SITE_URL", default="")
# 智能整理: the external RSS/Atom feeds fetched hourly — how long one fetch may take (seconds) and how
# large a feed may be (bytes); ``file:`` sources (the demo, the tests) are read from NEWS_FEED_FILE_ROOT
# only, never from anywhere else on the disk.
NEWS_FEED_TIMEOUT = env.int("NEWS_FEED_TIMEOUT", default=10)
NEWS_FEED_MAX_BYTES = env.int("NEWS_FEED_MAX_BYTES", default=2 * 1024 * 1024)
NEWS_FEED_FILE_ROOT = env.str(
    "NEWS_FEED_FILE_ROOT", default=str(BASE_DIR / "dangjian" / "news" / "feeds" / "demo_feeds")
)
# Feeds are fetched from public addresses only (no loopback, private, link-local, reserved … host — a
# guard against requests into the campus network); a school whose sources are on its intranet allows them.
NEWS_FEED_ALLOW_PRIVATE = env.bool("NEWS_FEED_ALLOW_PRIVATE", default=False)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The audit log's hash chain is keyed with this secret (HMAC), kept out of the database so that whoever
# edits rows there cannot re-sign them. Empty: derived from SECRET_KEY (which must then never change).
# Set it once, back it up apart from the database, never change it (docs/operations.md, 审计链).
AUDIT_CHAIN_KEY = env.str("AUDIT_CHAIN_KEY", default="")
# The nightly check verifies this many recent days (today included); `manage.py verify_audit` all of them.
AUDIT_VERIFY_DAYS = env.int("AUDIT_VERIFY_DAYS", default=2)
# Audit events are kept this long, then purged a whole day at a time. The law asks for at least six
# months (《网络安全法》第二十一条, 等保 2.0): under 183 days (audit.retention.AUDIT_RETENTION_MIN_DAYS) the
# process refuses to start.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=3 * 365)
if AUDIT_RETENTION_DAYS < 183:
    raise ImproperlyConfigured(
        f"AUDIT_RETENTION_DAYS={AUDIT_RETENTION_DAYS} 过短：审计日志至少保留 183 天"
        "(《网络安全法》第二十一条、等保 2.0 要求不少于六个月)。"
        " / AUDIT_RETENTION_DAYS must be at least 183 (six months of logs)."
    )

# People who left the school and are not Party members are anonymised this many whole years after the
# day they left ([local practice]; PIPL 第四十七条). What is kept: docs/operations.md, 保留期限与匿名化.
PERSON_ANONYMISE_AFTER_YEARS = env.int("PERSON_ANONYMISE_AFTER_YEARS", default=5)
