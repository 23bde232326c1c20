"""`manage.py seed_demo [--scale demo|large]`: fill the database with demo content. Safe to run again.

The core content (regions, enterprises, demo users for every role, CQO profiles with their status history,
the Alliance and the Home with their city chapters, memberships) comes from `alliance_site.demo.core`.
Every demo user's password is `cqo-demo-2026` (development only); log in with `<username>@demo.cqo.cn`.

Apps add their own demo content without editing this command: in the app's `wagtail_hooks.py`,

    @hooks.register(alliance_site.hooks.SEED_DEMO)
    def seed_cases(scale, stdout):
        ...  # scale is "demo" or "large"; write progress to stdout

Hooks run after the core seeding, in registration order, each in its own transaction, and must be
idempotent like the core: look records up by a natural key and create only what is missing.
"""

import time

from django.core.management.base import BaseCommand

from alliance_site import hooks
from alliance_site.demo import core


class Command(BaseCommand):
    help = "Seed demo content (idempotent). --scale large adds the benchmark population."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=core.SCALES, default="demo", help="demo (default) or large")

    def handle(self, *args, scale, **options):
        started = time.monotonic()
        core.seed(scale)
        self.stdout.write(f"Core content seeded ({scale}).")
        hooks.seed_demo(scale, self.stdout)
        for label, count in core.summary():
            self.stdout.write(f"{label:<22}{count:>8}")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))
