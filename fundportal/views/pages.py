"""Portal-wide pages: the front page, a funder's dashboard, the language switch."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views import View
from django.views.generic import TemplateView

from fundportal.dashboard import funder_figures, work_waiting
from fundportal.models import Role
from fundportal.selectors import active_funders, roles_at, workplaces_of
from fundportal.views.base import PortalPermissionMixin


class HomeView(PortalPermissionMixin, TemplateView):
    permission_required = "fundportal.view_public"
    template_name = "fundportal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["funders"] = active_funders()
        if self.request.user.is_authenticated:
            context["workplaces"] = workplaces_of(self.request.user)
        return context


class FunderDashboardView(PortalPermissionMixin, TemplateView):
    permission_required = "fundportal.view_funder_dashboard"
    template_name = "fundportal/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["role_labels"] = [Role(role).label for role in sorted(roles_at(self.request.user, self.request.funder))]
        context["figures"] = funder_figures()
        context["work"] = work_waiting(self.request.user, self.request.funder, timezone.localdate())
        return context


class LanguageView(PortalPermissionMixin, View):
    """Remember the language a person picks (cookie, and their profile if signed in)."""

    permission_required = "fundportal.view_public"
    http_method_names = ["post"]

    def post(self, request):
        language = request.POST.get("language", "")
        target = request.POST.get("next", "/")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = "/"
        response = HttpResponseRedirect(target)
        if language in dict(settings.LANGUAGES) and check_for_language(language):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax",
                secure=request.is_secure(),
            )
            if request.user.is_authenticated and request.user.language != language:
                request.user.language = language
                request.user.save(update_fields=["language"])
        return response


class FunderLogoView(PortalPermissionMixin, View):
    """The funder's logo, served from its own storage folder."""

    permission_required = "fundportal.view_public"

    def get(self, request, funder_slug):
        if not request.funder.logo:
            raise Http404
        return FileResponse(request.funder.logo.open("rb"))
