"""GET /healthz: is the database reachable, and the Celery broker?"""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views import View

from fundportal.celery import app as celery_app
from fundportal.views.base import PortalPermissionMixin


def database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:  # any failure is the answer, not a crash
        return f"error: {error.__class__.__name__}"


def broker_status():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "ok (eager: tasks run in-process)"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as error:
        return f"error: {error.__class__.__name__}"


class HealthView(PortalPermissionMixin, View):
    permission_required = "fundportal.view_public"

    def get(self, request):
        checks = {"database": database_status(), "broker": broker_status()}
        healthy = all(value.startswith("ok") for value in checks.values())
        return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
