"""Typed readers for environment variables that fail loudly on bad values.

Settings come only from the environment (twelve-factor); a typo in a value must stop the
process at start-up rather than silently fall back to a default.
"""

from __future__ import annotations

import os
from pathlib import Path


class ConfigError(RuntimeError):
    """An environment variable is missing or has a value we cannot use."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, *, hint: str = "") -> str:
    """The variable's text; a missing variable without a default stops with what to set."""
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ConfigError(f"{name} must be set" + (f": {hint}" if hint else ""))
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer; got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_choice(name: str, choices: list[str], default: str) -> str:
    value = os.environ.get(name, default).strip().lower()
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).expanduser().resolve() if raw else default


def env_url(name: str, schemes: list[str]) -> str:
    """A URL whose scheme is one of `schemes`, or "" when the variable is unset or empty."""
    raw = os.environ.get(name, "").strip()
    scheme, separator, _ = raw.partition("://")
    if raw and (not separator or scheme.lower() not in schemes):
        raise ConfigError(
            f"{name} must be a URL starting with {' or '.join(s + '://' for s in schemes)}; "
            f"got {raw!r}"
        )
    return raw


def s3_storage_options() -> dict[str, object] | None:
    """django-storages' S3 options for evidence when `STORAGE_S3_BUCKET` is set, else None.

    Set with it: `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (required: a bucket without
    credentials must stop the start, not fail on the first upload), `STORAGE_S3_ENDPOINT_URL`
    (an S3-compatible server such as MinIO or Ceph; empty for AWS), `STORAGE_S3_REGION`,
    `STORAGE_S3_PREFIX` (a folder inside the bucket).
    """
    bucket = env_str("STORAGE_S3_BUCKET", "").strip()
    if not bucket:
        return None
    hint = "the credentials of the STORAGE_S3_BUCKET's account"
    endpoint = env_str("STORAGE_S3_ENDPOINT_URL", "").strip()
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise ConfigError(
            f"STORAGE_S3_ENDPOINT_URL must start with http:// or https://; got {endpoint!r}"
        )
    return {
        "bucket_name": bucket,
        "access_key": env_str("AWS_ACCESS_KEY_ID", hint=hint),
        "secret_key": env_str("AWS_SECRET_ACCESS_KEY", hint=hint),
        "endpoint_url": endpoint or None,
        "region_name": env_str("STORAGE_S3_REGION", "").strip() or None,
        "location": env_str("STORAGE_S3_PREFIX", "").strip("/"),
        # Evidence names are random and private: never public, never renamed on a clash.
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": True,
    }
