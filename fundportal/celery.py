"""The Celery application. Tasks that touch a funder's data use FunderTask."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundportal.settings")

app = Celery("fundportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
