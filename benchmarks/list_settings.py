"""Settings of the list benchmark: production's (the benchmark sets DJANGO_DEBUG
false), with the two baseline views' URLs added (``benchmarks.list_site``)."""

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "benchmarks.list_site"
