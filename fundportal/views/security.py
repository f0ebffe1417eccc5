"""POST /csp-report: what the Content-Security-Policy made a browser refuse, written to the log.

Every page names this address in its policy (report-uri), so a script, style or form target the policy blocks in
production — a page that lost a handler or its look, or code that was never the portal's — shows in the log as a
warning with the page, the directive and what was blocked. Browsers send the report on their own, without cookies
or a CSRF token; the view reads a small JSON body and answers 204, or 400 to anything that is not a report.
"""

import json
import logging

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from fundportal.views.base import PUBLIC, PortalPermissionMixin

logger = logging.getLogger("fundportal.csp")
LARGEST_REPORT = 16 * 1024  # bytes: a report names a few addresses and a sample; a bigger body is no report
REPORTED = ("document-uri", "effective-directive", "violated-directive", "blocked-uri", "source-file", "line-number")


def read_report(body):
    """The report's fields worth logging, or None for a body that is no CSP report."""
    try:
        report = json.loads(body).get("csp-report")
    except (ValueError, AttributeError):
        return None
    if not isinstance(report, dict):
        return None
    return {field: str(report.get(field, ""))[:300] for field in REPORTED}


@method_decorator(csrf_exempt, name="dispatch")
class ContentSecurityReportView(PortalPermissionMixin, View):
    permission_required = PUBLIC
    http_method_names = ["post"]

    def post(self, request):
        report = read_report(request.body) if len(request.body) <= LARGEST_REPORT else None
        if report is None:
            return HttpResponseBadRequest()
        logger.warning("Content-Security-Policy violation: %r", report)  # %r: a report's text cannot forge lines
        return HttpResponse(status=204)
