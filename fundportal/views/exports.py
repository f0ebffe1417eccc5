"""Exports: an app's table as a file (at once when small, else in the background), the job's page with its progress,
its download, and the person's own exports."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from django.views.generic import ListView, TemplateView

from fundportal.export_jobs import KINDS, export_downloaded, export_job_downloaded, export_job_start, export_jobs_of
from fundportal.exports import CONTENT_TYPES, file_response, write_table
from fundportal.security import RecentAuthenticationRequired
from fundportal.views.base import PortalPermissionMixin

AT_ONCE = 2000  # rows of the counted sheet an export may have to be downloaded at once, without a job
RECENT = 25  # exports "My exports" lists


class ExportView(PortalPermissionMixin, RecentAuthenticationRequired, View):
    """An app's export of a page's table, with the page's filters and order (its query string), as ``extension``:
    GET downloads a table of up to ``AT_ONCE`` rows at once (a bigger one gets a page that starts a job), POST starts
    a job for any size and shows its page. Each app's view names its registered ``export_kind``."""

    export_kind = None
    sensitive_methods = ("GET", "POST")  # the file itself, or a job that writes it

    def export_subject(self):
        """What the export is of, as the kind reads it (e.g. a call's slug); anything wrong with the address is
        refused here (404) before a job is stored."""
        return ""

    @cached_property
    def kind(self):
        kind = KINDS[self.export_kind]
        if self.kwargs["extension"] not in kind.extensions:
            raise Http404
        return kind

    def get(self, request, *args, **kwargs):
        kind, extension, subject = self.kind, self.kwargs["extension"], self.export_subject()
        table = kind.table(query=request.GET, subject=subject, extension=extension)
        if table.total > AT_ONCE:
            return TemplateResponse(request, "fundportal/exports/start.html",
                                    {"title": kind.title(subject), "total": table.total, "extension": extension})
        export_downloaded(user=request.user, kind=kind, extension=extension, query=request.GET.urlencode(),
                          subject=subject, table=table)
        with write_table(table, extension, constant_memory=False) as written:
            return file_response(written, table.filename, extension)

    def post(self, request, *args, **kwargs):
        kind, extension, subject = self.kind, self.kwargs["extension"], self.export_subject()
        try:
            job = export_job_start(user=request.user, funder=request.funder, kind=kind.name, extension=extension,
                                   query=request.GET.urlencode(), subject=subject)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(reverse("exports", args=[request.funder.slug]))
        return HttpResponseRedirect(reverse("export_job", args=[request.funder.slug, job.pk]))


class ExportJobsView(PortalPermissionMixin, ListView):
    """My exports: the person's recent exports at this funder, each with its state."""

    permission_required = "fundportal.view_exports"
    template_name = "fundportal/exports/list.html"
    context_object_name = "jobs"

    def get_queryset(self):
        return export_jobs_of(self.request.user)[:RECENT]


class ExportJobMixin(PortalPermissionMixin):
    """One of the person's own exports: anyone else's is not found."""

    permission_required = "fundportal.download_export"

    @cached_property
    def job(self):
        return get_object_or_404(export_jobs_of(self.request.user).select_related("funder"), pk=self.kwargs["job_id"])

    def get_permission_object(self):
        return self.job


class ExportJobView(ExportJobMixin, TemplateView):
    """The export's progress, which follows itself until the file is ready, then its download."""

    template_name = "fundportal/exports/job.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(job=self.job, **kwargs)


class ExportJobProgressView(ExportJobView):
    """The export's progress alone, polled by its page."""

    template_name = "fundportal/exports/_progress.html"


class ExportJobDownloadView(ExportJobMixin, RecentAuthenticationRequired, View):
    sensitive_methods = ("GET",)

    def get(self, request, funder_slug, job_id):
        if not (self.job.is_done and self.job.file):
            raise Http404
        export_job_downloaded(user=request.user, job=self.job)
        return FileResponse(self.job.file.open("rb"), as_attachment=True, filename=self.job.filename,
                            content_type=CONTENT_TYPES[self.job.extension])
