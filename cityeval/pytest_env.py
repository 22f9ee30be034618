"""A pytest plugin (loaded with `-p` in pyproject) that sets the test environment before
pytest-django reads the settings; a conftest.py would be imported too late for that.
"""

import os

os.environ.setdefault("CITYEVAL_DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-0123456789")
os.environ.setdefault("SECURE_COOKIES", "0")
# The test client and the live server speak plain HTTP.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse ORM
# calls made from the same test.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# E-mails link to pages under this address (tests check the links are absolute).
os.environ.setdefault("SITE_URL", "https://cityeval.example.id")
