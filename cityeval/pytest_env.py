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
# Jobs run in the test's own process after commit (tests of the real worker set their own), and
# publishing does not render every scorecard PDF (tests/jobs turn it on where they test it).
os.environ.setdefault("CITYEVAL_JOBS", "immediate")
os.environ.setdefault("CITYEVAL_PDFS_AT_PUBLISH", "0")
# Nor the open-data files (tests/exports/test_stored_files.py turns it on).
os.environ.setdefault("CITYEVAL_OPEN_DATA_AT_PUBLISH", "0")


# Fixtures through which a test reaches the database (pytest-django's, and ours built on them).
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_setup", "live_server", "django_db_reset_sequences"}
)


def uses_database(item: object) -> bool:
    marker = getattr(item, "get_closest_marker", lambda name: None)("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    return marker is not None or bool(fixtures & DATABASE_FIXTURES)


def pytest_collection_modifyitems(config: object, items: list[object]) -> None:
    """`CITYEVAL_DATABASE_TESTS_ONLY=1`: run only the tests that touch the database.

    CI runs the whole suite on SQLite, then again on PostgreSQL; a test that never opens a
    connection (the scoring engine, framework files, templates, file checks) gives the same
    answer on both, so the second run leaves it out instead of spending minutes repeating it.
    """
    if os.environ.get("CITYEVAL_DATABASE_TESTS_ONLY") != "1":
        return
    kept = [item for item in items if uses_database(item)]
    left_out = [item for item in items if not uses_database(item)]
    if left_out:
        hook = config.hook  # type: ignore[attr-defined]
        hook.pytest_deselected(items=left_out)
        items[:] = kept
