"""Errors the engine raises. All are `ValueError`s so callers can catch bad input in one place."""

from __future__ import annotations


class ScoringError(ValueError):
    """Base class for everything the engine refuses."""


class FrameworkError(ScoringError):
    """The framework itself cannot be scored: duplicate codes, bad weights, missing bounds."""


class ScoringInputError(ScoringError):
    """A value cannot be scored: off the scale, of the wrong type, or for an unknown item."""
