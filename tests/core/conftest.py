from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.fixture
def shipped(db: None) -> None:
    """The real region list and the shipped frameworks, as the demo and production load them."""
    call_command("loadregions", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    from cityeval.frameworks.services import import_shipped

    import_shipped()
    assert settings.FRAMEWORKS_DIR.is_dir()
