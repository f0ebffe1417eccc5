"""The framework's floor: a bare Django view rendering a template to a page of a given byte size, with no query.

It runs behind the portal's middleware, as every page does, but with no context processor, form or database
read: what Django itself costs for answering with that much HTML. The template loops over table rows of one fixed
width, so the page is ``size`` bytes exactly (never less than the empty template).
"""

from functools import cache

from django.http import HttpResponse
from django.template.loader import render_to_string

FLOOR_PREFIX = "/__benchmark__/floor/"
TEMPLATE = "review/benchmark/floor.html"
TITLE = "A row of the floor as wide as a row of a listing"


def floor_path(size):
    return f"{FLOOR_PREFIX}{size}/"


def row(number):
    return {"number": f"{number:07d}", "title": TITLE, "amount": f"{number * 1000 % 9_999_999:>9}"}


def render(rows, tail=""):
    return render_to_string(TEMPLATE, {"rows": rows, "tail": tail})


@cache
def widths():
    """The empty page's length and one row's, in bytes."""
    empty = len(render([]).encode())
    return empty, len(render([row(1)]).encode()) - empty


def floor_html(size):
    empty, width = widths()
    count = max(0, size - empty) // width
    return render([row(number) for number in range(count)], tail="x" * max(0, size - empty - count * width))


def floor(request, size):
    return HttpResponse(floor_html(size))
