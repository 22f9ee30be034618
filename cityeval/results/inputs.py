"""A snapshot's stored inputs read back as the engine takes them.

Here, not in `reports`, because the rank uncertainty (this app) reads them too and `reports` sits
above `results` (docs/architecture.md, "Layers").
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal


def decimals(inputs: Mapping[str, object] | None) -> dict[str, Decimal | None]:
    """Stored JSON inputs (numbers or strings) as exact Decimals; None stays None."""
    return {code: None if v is None else Decimal(str(v)) for code, v in (inputs or {}).items()}
