"""Security headers on every page, cookies, and production settings passing `check --deploy`."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_pages_carry_a_strict_content_security_policy(db: None, client: Client) -> None:
    policy = directives(client.get("/accounts/login/")["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline scripts, no eval
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]


def test_pages_refuse_framing_sniffing_and_leaking_referrers(db: None, client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_https_responses_carry_hsts(db: None, client: Client) -> None:
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_cookies_are_not_readable_by_scripts(db: None, client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.cookies["csrftoken"]["httponly"]
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.LANGUAGE_COOKIE_HTTPONLY


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECURE_COOKIES",
            "SECURE_SSL_REDIRECT",
            "CITYEVAL_DEBUG",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        CITYEVAL_DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="cityeval.example.go.id",
        CSRF_TRUSTED_ORIGINS="https://cityeval.example.go.id",
        **overrides,
    )
    return env


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(CITYEVAL_DATA_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_warns_without_site_url(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(CITYEVAL_DATA_DIR=str(tmp_path), SITE_URL=""),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "cityeval.W001" in result.stdout + result.stderr


def test_production_defaults_are_secure(tmp_path: Path) -> None:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'cityeval.settings'; "
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.LOG_FORMAT)"
    )
    result = run_python(code, production_env(CITYEVAL_DATA_DIR=str(tmp_path)))
    assert result.stdout.split() == ["True", "True", "True", "True", "31536000", "json"]


@pytest.mark.parametrize(
    ("name", "value"), [("CITYEVAL_LOG_FORMAT", "xml"), ("SECURE_HSTS_SECONDS", "a year")]
)
def test_a_bad_setting_stops_the_start(name: str, value: str, tmp_path: Path) -> None:
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'cityeval.settings'; " + (
        "from django.conf import settings; settings.DEBUG"
    )
    result = run_python(code, production_env(CITYEVAL_DATA_DIR=str(tmp_path), **{name: value}))
    assert result.returncode != 0
    assert name in result.stderr


TEMPLATES = ROOT / "cityeval" / "templates"
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")


# Templates that only WeasyPrint renders (a PDF is not a web page: no CSP applies) may use
# <style>; they are recognised by "pdf" in their folder or file name.
PAGES = sorted(
    path for path in TEMPLATES.rglob("*.html") if "pdf" not in str(path.relative_to(TEMPLATES))
)


@pytest.mark.parametrize("template", PAGES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_code_the_policy_would_block(template: Path) -> None:
    """The CSP refuses inline scripts, on…="" handlers and <style> elements: keep them out."""
    text = template.read_text(encoding="utf-8")
    assert not INLINE_HANDLER.search(text), "use data-confirm / data-autosubmit / data-print"
    assert not INLINE_SCRIPT.search(text), "put scripts in static files"
    assert "<style" not in text, "put styles in static/css"
    assert "javascript:" not in text
