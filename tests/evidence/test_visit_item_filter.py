"""The field-visit form's item filter matches codes as well as words.

The script lowercases what is typed ("qw-gov" or "QW-GOV") and looks for it in each item's
`data-filter-text`, so that text must be lowercase, the code included.
"""

from __future__ import annotations

import re

from django.urls import reverse

from cityeval.evaluations.models import EvaluationStatus
from tests.world import TeamWorld as World


def test_every_filter_text_is_lowercase_with_the_item_code(world: World) -> None:
    world.set_status(EvaluationStatus.FIELD_VISIT)
    page = (
        world.client("lead")
        .get(reverse("evidence:visit_new", args=[world.evaluation.pk]))
        .content.decode()
    )
    texts = re.findall(r'data-filter-text="([^"]*)"', page)
    codes = re.findall(r'<span class="code">([^<]*)</span>', page)
    assert texts
    assert len(texts) == len(codes)
    for text, code in zip(texts, codes, strict=True):
        assert text == text.lower()
        assert text.startswith(code.lower() + " ")
