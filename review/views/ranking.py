"""The ranking of a call's applications, on the page and as a file."""

from functools import cached_property

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from calls.views.manage import ManageCallMixin
from review.decisions import granted_sum, unreleased_decisions
from review.forms import RankingFilterForm, chosen_period
from review.selectors import DISAGREEMENT, RANKING_PAGE_SIZE, Ranking, RankingFilter


class RankingMixin:
    """The call's ranking, and which of its applications to show: a period (``?period=<id>``; anything else is a
    404), a search, filters and an order from the query string (a value the form does not know counts as unset)."""

    @cached_property
    def period(self):
        return chosen_period(self.call, self.request.GET.get("period", ""))

    @cached_property
    def ranking(self):
        return Ranking(self.call)

    @cached_property
    def filter_form(self):
        return RankingFilterForm.reading(self.request.GET, themes=self.call.themes or [],
                                 sorts=self.ranking.sorts(self.request.funder.default_language))

    @cached_property
    def chosen(self):
        """(the filter, the sort key) asked for."""
        return self.filter_form.chosen(self.period)

    def shown(self):
        return self.ranking.shown(*self.chosen)


class RankingView(RankingMixin, ManageCallMixin, TemplateView):
    """A page of the call's applications by weighted total, with spread, reviews done and the running sum against
    the budget; above it, where the funding line falls in the whole call, and a link to the page that shows it."""

    permission_required = "review.view_ranking"
    template_name = "review/ranking.html"
    tab = "ranking"

    def get_context_data(self, **kwargs):
        shown = self.shown()
        line, whole_count = self.ranking.funding_line()
        total, above_line = self.ranking.counted(self.chosen[0], shown, line, whole_count)
        paginator = Paginator(shown, RANKING_PAGE_SIZE)
        paginator.count = total  # counted above with the line's place, in the same query
        page = paginator.get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            criteria=self.ranking.criteria, rows=self.ranking.rows(page.object_list), page_obj=page,
            filter_form=self.filter_form, filtered=self.chosen[0] != RankingFilter(),
            query=query.urlencode(), columns=len(self.ranking.criteria) + 9,
            line=line, **(self.line_on_this_list(above_line, query) if line else {}),
            above_line=above_line if line else total, below_line=total - above_line if line else 0,
            granted=granted_sum(self.call), unreleased=unreleased_decisions(self.call, self.period),
            periods=self.call.periods.all(), period=self.period, disagreement=DISAGREEMENT,
            export_query=f"?{query.urlencode()}" if query else "", **kwargs)

    def line_on_this_list(self, above_line, query):
        """Where the funding line falls among the applications shown, ``above_line`` of them above it:
        ``line_before``, the place in the list (in the ranking's order; None in another) of the first one below it,
        and ``line_url``, the page that shows it."""
        before = above_line + 1
        query = query.copy()
        query.pop("sort", None)  # the line is a place in the ranking's order
        query["page"] = (before - 1) // RANKING_PAGE_SIZE + 1
        return {"line_before": before if self.chosen[1] == "rank" else None,
                "line_url": f"?{query.urlencode()}#funding-line"}
