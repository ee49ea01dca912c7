"""Settings for the test suite: production settings (DEBUG off) with test-only relaxations."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-for-the-test-suite-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("TESTING", "1")

from kor.settings import *  # noqa: F403

# Hashing with PBKDF2 costs ~0.2 s a login; tests log in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Static files straight from the app folders: the tests run without collectstatic. Found once,
# when the app starts, as production finds its collected files (no AUTOREFRESH: that looked for
# a static file on every request, 0.15 ms of the benchmarks' floor, which production never pays).
WHITENOISE_USE_FINDERS = True

# Text messages stay in memory (sessions.sms.outbox), as e-mail does in mail.outbox.
KOR_SMS_BACKEND = "sessions.sms.LocMemBackend"
