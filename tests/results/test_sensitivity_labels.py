"""The sensitivity summary names each uncertain input in words a reader knows."""

from __future__ import annotations

from cityeval.results.intervals import input_label

NODES = {"": "G100SC", "OUT": "Keluaran"}


def test_each_input_has_a_readable_name() -> None:
    assert input_label("aggregation", NODES) == "Cara agregasi (aritmetik atau geometrik)"
    assert input_label("missing", NODES) == "Perlakuan butir tanpa nilai"
    assert input_label("weights:G100SC", NODES) == "Bobot antarkomponen utama indeks"
    assert input_label("weights:OUT", NODES) == "Bobot di dalam Keluaran"
    # A node the document no longer names keeps its code rather than vanishing.
    assert input_label("weights:XYZ", NODES) == "Bobot di dalam XYZ"
