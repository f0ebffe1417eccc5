"""Fill an empty database with data at a national platform's size, for the benchmarks (review.scale says what).

    .venv/bin/python manage.py seed_scale                                   # 50 funders, 500 calls, 100,000 applications
    .venv/bin/python manage.py seed_scale --applications 5000 --big-call 5000
    .venv/bin/python manage.py seed_scale --applications 1000 --big-call 1000

It lives in review, the top layer, because it writes every app's rows. Deterministic (``--seed``), written in bulk,
and refused where it has run before: start from an empty database (migrated, without seed_demo's funders or with).
"""

from django.core.management.base import BaseCommand, CommandError

from review.scale import Size, generate


class Command(BaseCommand):
    help = "Write funders, calls, applications, reviews and the rest at scale, in bulk, from a fixed random seed."

    def add_arguments(self, parser):
        defaults = Size()
        parser.add_argument("--funders", type=int, default=defaults.funders)
        parser.add_argument("--calls", type=int, default=defaults.calls, help="in all, the big call's included")
        parser.add_argument("--applications", type=int, default=defaults.applications,
                            help="in all, the big call's included")
        parser.add_argument("--big-call", type=int, default=defaults.big_call,
                            help="applications in the big call (90 %% at the panel with 3 reviews each, the rest to "
                                 "screen); 0 for none")
        parser.add_argument("--panel", type=int, default=defaults.panel, help="panel members of the big call's funder")
        parser.add_argument("--reviews", type=int, default=None, help="about this many reviews (default: 3 per application)")
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument("--batch-size", type=int, default=defaults.batch_size)

    def handle(self, *args, funders, calls, applications, big_call, panel, reviews, seed, batch_size, **options):
        size = Size(funders=funders, calls=calls, applications=applications, big_call=big_call, panel=panel,
                    reviews=reviews, seed=seed, batch_size=batch_size)
        if size.problems():
            raise CommandError(" ".join(size.problems()))
        try:
            report = generate(size, progress=self.stdout.write)
        except ValueError as error:
            raise CommandError(str(error)) from error
        width = max(len(label) for label in report.counts)
        for label, count in report.counts.items():
            self.stdout.write(f"{label:<{width}}  {count:>9,}")
        self.stdout.write(f"{'rows in all':<{width}}  {sum(report.counts.values()):>9,}")
        self.stdout.write(self.style.SUCCESS(f"Written in {report.seconds:.1f} s (seed {seed})."))
