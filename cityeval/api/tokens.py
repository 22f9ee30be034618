"""Making and checking token strings.

A token is `ce_<prefix>_<secret>`: the prefix (8 URL-safe characters) is stored in clear to find
the row; the secret is 32 random bytes (256 bits) from `secrets`. Only SHA-256 of the whole
token is stored. A slow password hash (Argon2, PBKDF2) exists to make guessing a low-entropy
human password expensive; a 256-bit random secret cannot be guessed whatever the hash, so a
fast hash loses nothing and keeps every API request cheap. The comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

TOKEN_PREFIX = "ce_"  # noqa: S105 (the public marker of a token, not a secret)
PREFIX_LENGTH = 8


@dataclass(frozen=True)
class NewToken:
    prefix: str
    secret_hash: str
    plaintext: str  # shown to the person once, never stored


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def new_token() -> NewToken:
    prefix = secrets.token_urlsafe(6)[:PREFIX_LENGTH].replace("_", "x").replace("-", "y")
    plaintext = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    return NewToken(prefix=prefix, secret_hash=hash_token(plaintext), plaintext=plaintext)


def prefix_of(plaintext: str) -> str | None:
    """The lookup prefix of a presented token, or None when it is not shaped like one."""
    if not plaintext.startswith(TOKEN_PREFIX):
        return None
    prefix, separator, secret = plaintext[len(TOKEN_PREFIX) :].partition("_")
    if not separator or len(prefix) != PREFIX_LENGTH or not prefix.isascii():
        return None
    if not prefix.isalnum() or not secret:
        return None
    return prefix


def matches(plaintext: str, secret_hash: str) -> bool:
    return hmac.compare_digest(hash_token(plaintext), secret_hash)
