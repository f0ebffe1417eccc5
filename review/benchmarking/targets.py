"""The benchmark's targets (issue 12) and each page's verdict on them.

* constant: a page's query count is the same and its HTML size within ``SIZE_TOLERANCE`` as applications grow —
  judged over this run and the earlier runs named by ``--against`` (saved by ``--save``, on other data sizes);
* floor: its median at most ``FLOOR_RATIO`` times the floor's (a bare view rendering as many bytes), in this run;
* p95: under ``P95_MS`` with ``CLIENTS`` concurrent clients; only a run with that many clients measures it.

A run is kept as JSON (``run_record`` / ``read_run``): the data's size and each page's figures, by page key.
"""

import json
from dataclasses import dataclass

FLOOR_RATIO = 3.0
P95_MS = 150.0
CLIENTS = 16
SIZE_TOLERANCE = 0.10  # HTML that differs by at most a tenth between sizes counts as the same size

PASS, MISS, UNMEASURED = "PASS", "MISS", "—"


@dataclass(frozen=True)
class Figures:
    """One page in one run."""

    queries: int
    size: int  # bytes of HTML
    median: float  # ms
    p95: float  # ms
    floor_median: float  # ms


@dataclass(frozen=True)
class Run:
    applications: int  # in the whole installation
    in_call: int  # in the biggest call, the one the call's pages show
    concurrency: int
    pages: dict  # page key → Figures


def run_record(run):
    return {"applications": run.applications, "in_call": run.in_call, "concurrency": run.concurrency,
            "pages": {key: vars(figures) for key, figures in run.pages.items()}}


def read_run(path):
    with open(path, encoding="utf-8") as file:
        record = json.load(file)
    return Run(applications=record["applications"], in_call=record["in_call"], concurrency=record["concurrency"],
               pages={key: Figures(**figures) for key, figures in record["pages"].items()})


def verdict(passed):
    return PASS if passed else MISS


def constant(figures):
    """PASS when the query counts are one and the sizes within the tolerance of the smallest; — with one run."""
    if len(figures) < 2:
        return UNMEASURED
    sizes = [f.size for f in figures]
    return verdict(len({f.queries for f in figures}) == 1 and max(sizes) <= min(sizes) * (1 + SIZE_TOLERANCE))


def target_rows(run, earlier=()):
    """A row per page of ``run``: its queries and HTML size in each run (``earlier`` ones first, by size), whether
    they stay constant, its ratio to the floor and its p95 against the targets."""
    runs = sorted([*earlier, run], key=lambda r: (r.applications, r.in_call))
    rows = []
    for key, figures in run.pages.items():
        across = [r.pages[key] for r in runs if key in r.pages]
        ratio = figures.median / figures.floor_median
        measured_p95 = run.concurrency >= CLIENTS
        rows.append({
            "page": key,
            "queries by size": " / ".join(str(f.queries) for f in across),
            "HTML KB by size": " / ".join(f"{f.size / 1024:.1f}" for f in across),
            "constant": constant(across),
            "ratio to floor": f"{ratio:.1f}",
            f"within {FLOOR_RATIO:g}×": verdict(ratio <= FLOOR_RATIO),
            f"p95 ms, {run.concurrency} clients": f"{figures.p95:.1f}",
            f"p95 under {P95_MS:g} ms": verdict(figures.p95 < P95_MS) if measured_p95 else UNMEASURED,
        })
    return rows, runs


def sizes_line(runs):
    """Which data the "by size" columns come from, in their order."""
    return " / ".join(f"{r.applications:,} applications ({r.in_call:,} in the call)" for r in runs)
