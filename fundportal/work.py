"""What waits for the person at this funder, by what their roles let them do: the dashboard's to-do list.

Each entry is (what, how many, where to do it); only what the person may do and what is not empty is listed.
A fixed number of queries whatever the numbers.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import ngettext


def work_waiting(user, funder, today):
    from applications.lifecycle import State
    from applications.models import Application
    from fundportal.models import OutboxEmail
    from review.models import Assignment, Decision
    from review.selectors import PAST_SCREENING

    slug, work = funder.slug, []
    if user.has_perm("review.screen", funder):
        waiting = Application.objects.filter(state=State.SUBMITTED).count()
        work.append((ngettext("%(count)d application waits for screening", "%(count)d applications wait for screening",
                              waiting), waiting, reverse("review:queue", args=[slug])))
    if user.has_perm("review.view_reviews_dashboard", funder):
        open_reviews = (Assignment.objects.filter(reviewer=user).exclude(has_conflict=True)
                        .filter(Q(review__isnull=True) | Q(review__submitted_at__isnull=True)).count())
        work.append((ngettext("%(count)d review to do", "%(count)d reviews to do", open_reviews), open_reviews,
                     reverse("review:dashboard", args=[slug])))
    if user.has_perm("review.decide", funder):
        undecided = (Application.objects.filter(PAST_SCREENING, state=State.IN_REVIEW, decision__isnull=True)
                     .values("call__slug").annotate(count=Count("pk")).order_by("call__slug"))
        for row in undecided:
            work.append((ngettext("%(count)d application waits for a decision", "%(count)d applications wait for a decision",
                                  row["count"]), row["count"], reverse("review:ranking", args=[slug, row["call__slug"]])))
        unreleased = (Decision.objects.filter(released_at__isnull=True).values("application__call__slug")
                      .annotate(count=Count("pk")).order_by("application__call__slug"))
        for row in unreleased:
            work.append((ngettext("%(count)d decision to release", "%(count)d decisions to release", row["count"]),
                         row["count"], reverse("review:ranking", args=[slug, row["application__call__slug"]])))
    if user.has_perm("fundportal.manage_outbox", funder):
        counts = OutboxEmail.objects.aggregate(drafts=Count("pk", filter=Q(status=OutboxEmail.Status.DRAFT)),
                                               failed=Count("pk", filter=Q(status=OutboxEmail.Status.FAILED)))
        outbox = reverse("outbox", args=[slug])
        work.append((ngettext("%(count)d email draft to check and send", "%(count)d email drafts to check and send",
                              counts["drafts"]), counts["drafts"], f"{outbox}?status=draft"))
        work.append((ngettext("%(count)d email failed", "%(count)d emails failed", counts["failed"]), counts["failed"],
                     f"{outbox}?status=failed"))
        late = (Assignment.objects.filter(due__lt=today).exclude(has_conflict=True)
                .filter(Q(review__isnull=True) | Q(review__submitted_at__isnull=True))
                .values("application__call__slug").annotate(count=Count("pk")).order_by("application__call__slug"))
        for row in late:
            work.append((ngettext("%(count)d review is late", "%(count)d reviews are late", row["count"]), row["count"],
                         reverse("review:progress", args=[slug, row["application__call__slug"]])))
    return [(label % {"count": count}, count, url) for label, count, url in work if count]
