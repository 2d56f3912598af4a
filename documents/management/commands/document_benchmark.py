"""Time and measure the longest documents: a bureau's risk-point catalogue and every unit's 档案.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lz_bench python manage.py document_benchmark --risks 3000

The rows are seeded as ``manage.py benchmark`` seeds them (a separate benchmark bureau) inside
a transaction that is rolled back at the end: nothing stays. Prints, per document, the build
time, the page count, the PDF's size and the process's peak resident memory so far.
"""

import resource
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.http import QueryDict

from demo.management.commands.benchmark import Command as Seeder
from documents import registry
from documents.pdf import html_to_pdf, render_html
from org.models import User


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Build the longest documents from seeded rows and print time and peak memory."

    def add_arguments(self, parser):
        parser.add_argument("--risks", type=int, default=3000)
        parser.add_argument("--units", type=int, default=10)

    def handle(self, *args, risks, units, **options):
        try:
            with transaction.atomic():
                bureau = Seeder().seed(risks, max(units, 1) * 5, units)
                office = User.objects.get(username="bench_office", unit=bureau)
                self.build(office, "risks", {})
                totals = [0.0, 0, 0]
                for unit in bureau.children.order_by("code"):
                    seconds, pages, size = self.build(office, "archive", {"unit_id": unit.pk}, quiet=True)
                    totals = [totals[0] + seconds, totals[1] + pages, totals[2] + size]
                self.stdout.write(f"archive (all {units} units): {totals[0]:.1f} s, {totals[1]} pages, "
                                  f"{totals[2] / 1e6:.1f} MB, peak RSS {self.rss():.0f} MB")
                raise Rollback
        except Rollback:
            pass

    def rss(self):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def build(self, user, key, kwargs, quiet=False):
        document = registry.get(key)
        start = time.perf_counter()
        context = document.context(user, QueryDict(""), **kwargs)
        html, extra = render_html(user, document.template, context, landscape=document.landscape, draft=context["draft"],
                                  bureau=context.get("bureau"))
        data, pages = html_to_pdf(html, extra, pages=True)
        seconds = time.perf_counter() - start
        if not quiet:
            self.stdout.write(f"{key} ({context['item_count']} items): {seconds:.1f} s, {pages} pages, "
                              f"{len(data) / 1e6:.1f} MB, peak RSS {self.rss():.0f} MB")
        return seconds, pages, len(data)
