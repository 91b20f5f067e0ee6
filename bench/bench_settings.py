"""The settings `gongkai serve` runs with in bench_portal.py: the project's own, unchanged, plus
the bench's URL conf with a bare Django view (bench_urls.py). Never used outside the bench."""

from gongkai.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
