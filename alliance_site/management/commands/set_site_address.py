"""Put the default Wagtail Site on the public address (WAGTAILADMIN_BASE_URL).

`migrate` does this on every run; the command is for a changed address between releases, or to check it.
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from alliance_site.common import links


class Command(BaseCommand):
    help = "Set the default Wagtail Site's hostname and port from WAGTAILADMIN_BASE_URL."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="The database to update.")

    def handle(self, *args, database="default", **options):
        try:
            site = links.set_default_site_address(using=database)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        if site is None:
            raise CommandError("There is no default Site: run `manage.py migrate` first.")
        self.stdout.write(f"The default Site is {site.root_url}")
