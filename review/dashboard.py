"""What the assessment adds to a funder's dashboard: screening, reviews, decisions and late reviews waiting."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import ngettext

from applications.lifecycle import State
from applications.models import Application
from calls.models import Call
from fundportal.dashboard import WORK
from review.models import Assignment, Decision
from review.selectors import PAST_SCREENING


@WORK.register(position=10)
def assessment_work(user, funder, today):
    """Applications to screen, reviews to do, applications to decide and decisions to release, per call."""
    slug, work = funder.slug, []
    if user.has_perm("review.screen", funder):
        waiting = Application.objects.filter(state=State.SUBMITTED).count()
        work.append((ngettext("%(count)d application waits for screening", "%(count)d applications wait for screening",
                              waiting), waiting, reverse("review:queue", args=[slug])))
    if user.has_perm("review.view_reviews_dashboard", funder):
        open_reviews = Assignment.objects.filter(reviewer=user).open().count()
        work.append((ngettext("%(count)d review to do", "%(count)d reviews to do", open_reviews), open_reviews,
                     reverse("review:dashboard", args=[slug])))
    if user.has_perm("review.decide", funder):
        # counted by the call's key (not its slug, which joins every application to its call), named afterwards
        undecided = dict(Application.objects.filter(PAST_SCREENING, state=State.IN_REVIEW, decision__isnull=True)
                         .values_list("call_id").annotate(count=Count("*")).order_by())
        for call_slug, count in sorted((call_slug, undecided[pk]) for pk, call_slug in
                                       Call.objects.filter(pk__in=list(undecided)).values_list("pk", "slug")):
            work.append((ngettext("%(count)d application waits for a decision", "%(count)d applications wait for a decision",
                                  count), count, reverse("review:ranking", args=[slug, call_slug])))
        unreleased = (Decision.objects.filter(released_at__isnull=True).values("application__call__slug")
                      .annotate(count=Count("pk")).order_by("application__call__slug"))
        for row in unreleased:
            work.append((ngettext("%(count)d decision to release", "%(count)d decisions to release", row["count"]),
                         row["count"], reverse("review:ranking", args=[slug, row["application__call__slug"]])))
    return work


@WORK.register(position=30)
def late_reviews(user, funder, today):
    """Reviews past their due date, per call, for whoever runs the panels (after the outbox's entries)."""
    if not user.has_perm("review.manage_panel", funder):
        return []
    late = (Assignment.objects.filter(due__lt=today).open()
            .values("application__call__slug").annotate(count=Count("pk")).order_by("application__call__slug"))
    return [(ngettext("%(count)d review is late", "%(count)d reviews are late", row["count"]), row["count"],
             reverse("review:progress", args=[funder.slug, row["application__call__slug"]])) for row in late]
