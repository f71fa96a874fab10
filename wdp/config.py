"""Settings read from WDP_* environment variables, with safe defaults for local use."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _int(name, default):
    return int(os.environ.get(name, default))


def _bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_environment(instance_path):
    """Build the Flask config mapping from the process environment."""
    default_db = "sqlite:///" + str(Path(instance_path) / "wdp.sqlite")
    base_url = os.environ.get("WDP_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    return {
        "SECRET_KEY": os.environ.get("WDP_SECRET_KEY", "dev-only-not-secret"),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("WDP_DATABASE_URL", default_db),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "WDP_BASE_URL": base_url,
        "MAIL_SERVER": os.environ.get("WDP_MAIL_SERVER", "localhost"),
        "MAIL_PORT": _int("WDP_MAIL_PORT", 25),
        "MAIL_USE_TLS": _bool("WDP_MAIL_USE_TLS"),
        "MAIL_USERNAME": os.environ.get("WDP_MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("WDP_MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": os.environ.get("WDP_MAIL_SENDER", "WDP <noreply@localhost>"),
        "MAIL_TIMEOUT": _int("WDP_MAIL_TIMEOUT", 10),
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "WTF_CSRF_TIME_LIMIT": None,
        # Below this many published ratings a location shows no average.
        "WDP_MIN_RATINGS_FOR_AVERAGE": _int("WDP_MIN_RATINGS_FOR_AVERAGE", 3),
        # Below this many published ratings dates show the year only (anonymity).
        "WDP_MIN_RATINGS_FOR_MONTH": _int("WDP_MIN_RATINGS_FOR_MONTH", 10),
        "WDP_RATINGS_PER_PAGE": _int("WDP_RATINGS_PER_PAGE", 10),
        "WDP_LOCATIONS_PER_PAGE": _int("WDP_LOCATIONS_PER_PAGE", 20),
        # Rendered location pages kept per worker (wdp/locations/page_cache.py); 0 turns it off.
        "WDP_PAGE_CACHE_SIZE": _int("WDP_PAGE_CACHE_SIZE", 2000),
        "WDP_HELP_PHONE": os.environ.get("WDP_HELP_PHONE", "02 000 00 00"),
        "WDP_HELP_EMAIL": os.environ.get("WDP_HELP_EMAIL", "redactie@wdp.example"),
        # Enables /_baseline/<id>, the reference page of the benchmarks.
        "WDP_BENCH_BASELINE": _bool("WDP_BENCH_BASELINE"),
        # The rating form: drafts, confirmation links, repeat ratings, text limits.
        "WDP_DRAFT_DAYS": _int("WDP_DRAFT_DAYS", 7),
        "WDP_CONFIRM_DAYS": _int("WDP_CONFIRM_DAYS", 7),
        # How long the link in an "ask for changes" mail works.
        "WDP_REVISE_DAYS": _int("WDP_REVISE_DAYS", 21),
        "WDP_REPEAT_INTERVAL_DAYS": _int("WDP_REPEAT_INTERVAL_DAYS", 180),
        # Publication (wdp/publication): days after approval (or after "ask for changes")
        # for the two reminders and for archiving; under the auto-publish policy, the days
        # after approval before the rating goes online unless the submitter says no.
        "WDP_FIRST_REMINDER_DAYS": _int("WDP_FIRST_REMINDER_DAYS", 3),
        "WDP_SECOND_REMINDER_DAYS": _int("WDP_SECOND_REMINDER_DAYS", 10),
        "WDP_ARCHIVE_DAYS": _int("WDP_ARCHIVE_DAYS", 21),
        "WDP_AUTO_PUBLISH_DAYS": _int("WDP_AUTO_PUBLISH_DAYS", 14),
        # How long personal data (text of unpublished ratings, e-mail) is kept after a
        # rating was archived or rejected; an archived rating can be published until then.
        "WDP_RETENTION_DAYS": _int("WDP_RETENTION_DAYS", 365),
        # How long a "publish" / "do not publish" link and a "withdraw" link work.
        "WDP_PUBLISH_LINK_DAYS": _int("WDP_PUBLISH_LINK_DAYS", 400),
        "WDP_WITHDRAW_LINK_DAYS": _int("WDP_WITHDRAW_LINK_DAYS", 3650),
        "WDP_THEME_TEXT_LIMIT": _int("WDP_THEME_TEXT_LIMIT", 500),
        "WDP_EXPERIENCE_TEXT_LIMIT": _int("WDP_EXPERIENCE_TEXT_LIMIT", 2000),
        "WDP_MAX_CONFIRM_MAILS_PER_HOUR": _int("WDP_MAX_CONFIRM_MAILS_PER_HOUR", 5),
        # Checks the e-mail domain in DNS; off where there is no network (tests, CI).
        "WDP_EMAIL_CHECK_DNS": _bool("WDP_EMAIL_CHECK_DNS", False),
        # Per-IP limits of Flask-Limiter, a first line against bulk submissions.
        "RATELIMIT_ENABLED": _bool("WDP_RATELIMIT_ENABLED", True),
        "RATELIMIT_STORAGE_URI": os.environ.get("WDP_RATELIMIT_STORAGE_URI", "memory://"),
        "WDP_RATELIMIT_FORM_START": os.environ.get("WDP_RATELIMIT_FORM_START", "30 per hour"),
        "WDP_RATELIMIT_FORM_SUBMIT": os.environ.get("WDP_RATELIMIT_FORM_SUBMIT", "10 per hour"),
        "WDP_RATELIMIT_REPORTS": os.environ.get("WDP_RATELIMIT_REPORTS", "20 per hour"),
        # The time-to-publication figures on the inbox start page are computed at most once
        # per this many seconds per worker (wdp/publication/stats.py); 0 computes every time.
        "WDP_FIGURES_CACHE_SECONDS": _int("WDP_FIGURES_CACHE_SECONDS", 300),
        # "Stuur mijn links opnieuw": per IP (first line), and mails per address per hour
        # (counted in the database, so it holds across servers).
        "WDP_RATELIMIT_LOST_LINKS": os.environ.get("WDP_RATELIMIT_LOST_LINKS", "10 per hour"),
        # "Stuur me een nieuwe link" for organisations: per IP, and mails per address per hour.
        "WDP_RATELIMIT_ORG_LINKS": os.environ.get("WDP_RATELIMIT_ORG_LINKS", "10 per hour"),
        "WDP_MAX_ORG_LINK_MAILS_PER_HOUR": _int("WDP_MAX_ORG_LINK_MAILS_PER_HOUR", 3),
        # Sign-ups of organisations per IP address (the public form /deelnemen).
        "WDP_RATELIMIT_SIGN_UP": os.environ.get("WDP_RATELIMIT_SIGN_UP", "10 per hour"),
        "WDP_MAX_LOST_LINK_MAILS_PER_HOUR": _int("WDP_MAX_LOST_LINK_MAILS_PER_HOUR", 3),
        "WDP_RATELIMIT_EDITOR_SIGN_IN": os.environ.get("WDP_RATELIMIT_EDITOR_SIGN_IN",
                                                       "60 per hour"),
        # Editors: a session ends after this many minutes without a request.
        "WDP_EDITOR_IDLE_MINUTES": _int("WDP_EDITOR_IDLE_MINUTES", 30),
        "WDP_RESERVATION_MINUTES": _int("WDP_RESERVATION_MINUTES", 10),
        # An organisation's session (opened with its secure link) ends after this many
        # minutes without a request, or this many hours in all.
        "WDP_ORG_SESSION_IDLE_MINUTES": _int("WDP_ORG_SESSION_IDLE_MINUTES", 60),
        "WDP_ORG_SESSION_HOURS": _int("WDP_ORG_SESSION_HOURS", 8),
        # The "N ratings still wait" line of the item page is counted at most this often per
        # worker (own decisions count at once); 0 counts on every request.
        "WDP_WAITING_COUNT_SECONDS": _int("WDP_WAITING_COUNT_SECONDS", 10),
        # Platform settings (the publication policy) and the rows admins edit now and then
        # (themes, reasons, message templates: wdp/kept.py) are read again after this many
        # seconds per worker; 0 reads them on every request.
        "WDP_SETTINGS_CACHE_SECONDS": _int("WDP_SETTINGS_CACHE_SECONDS", 5),
        # CSRF tokens live in the session as long as the session: a slow person is never
        # refused, and the session lasts as long as a draft can.
        "SESSION_PERMANENT": True,
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 30,
        # How many reverse proxies stand before the app: only then is X-Forwarded-For trusted.
        "WDP_PROXY_HOPS": _int("WDP_PROXY_HOPS", 0),
        "SESSION_COOKIE_SECURE": base_url.startswith("https://"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Outbox retries: next attempt after base * 2**attempts seconds, at most this many tries.
        "WDP_MAIL_RETRY_BASE_SECONDS": _int("WDP_MAIL_RETRY_BASE_SECONDS", 60),
        "WDP_MAIL_MAX_ATTEMPTS": _int("WDP_MAIL_MAX_ATTEMPTS", 10),
        "WDP_MAIL_LEASE_SECONDS": _int("WDP_MAIL_LEASE_SECONDS", 300),
    }
