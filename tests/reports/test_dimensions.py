"""Reports are organised by smart dimension, or by top-level node for a framework without tags."""

from __future__ import annotations

import functools

import pytest
from django.conf import settings

from cityeval.frameworks.dimensions import item_dimensions, report_dimensions
from cityeval.frameworks.loader import load_framework_file
from cityeval.frameworks.models import FrameworkNode, FrameworkVersion
from cityeval.frameworks.schema import FrameworkDocument
from cityeval.frameworks.services import store_document
from tests.world import g100sc_2022

pytestmark = pytest.mark.django_db


@functools.cache
def _spbe() -> FrameworkDocument:
    return load_framework_file(settings.FRAMEWORKS_DIR / "spbe-2020.yaml")


def _indicators(version: FrameworkVersion) -> list[FrameworkNode]:
    return list(FrameworkNode.objects.filter(version=version).exclude(kind="group"))


def test_a_framework_with_a_tag_axis_is_reported_per_smart_dimension() -> None:
    version = store_document(document=g100sc_2022()).version
    assert list(report_dimensions(version)) == ["GOV", "BRD", "ECO", "SOC", "LIV", "ENV"]
    by_item = item_dimensions(version)
    indicators = _indicators(version)
    assert len(by_item) == len(indicators)
    assert all(by_item[node.pk] in node.tags for node in indicators)


def test_a_framework_without_tags_is_reported_per_top_level_node() -> None:
    version = store_document(document=_spbe()).version
    assert list(report_dimensions(version)) == ["D1", "D2", "D3", "D4"]
    by_item = item_dimensions(version)
    indicators = _indicators(version)
    assert len(by_item) == len(indicators) == 47
    assert set(by_item.values()) == {"D1", "D2", "D3", "D4"}
