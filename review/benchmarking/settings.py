"""The portal's settings with the benchmark's URLconf: what gunicorn runs for manage.py benchmark_pages."""

from fundportal.settings import *  # noqa: F403 (the portal exactly, one URLconf apart)

ROOT_URLCONF = "review.benchmarking.urls"
