"""Settings for `bench_pages.py` only: the project's, with a URLconf that adds the baseline view."""

from cityeval.settings import *  # noqa: F403 - the benchmark runs the project as deployed

ROOT_URLCONF = "bench.pages_urls"
