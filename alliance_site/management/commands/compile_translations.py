"""Compile the project's .po catalogues to .mo without GNU gettext, so `make run` needs only Python.

`--check` fails when a catalogue has untranslated or fuzzy entries: the zh-hans interface must be complete.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalogues():
    for locale_path in settings.LOCALE_PATHS:
        yield from sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po"))


def gaps(catalog):
    """Message ids that are untranslated or fuzzy."""
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


class Command(BaseCommand):
    help = "Compile the project's translation catalogues (.po → .mo) with Babel."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail if any entry is untranslated or fuzzy.")

    def handle(self, *args, check=False, **options):
        problems = []
        for po_path in catalogues():
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            missing = gaps(catalog)
            if missing:
                problems.append(f"{po_path}: {len(missing)} untranslated or fuzzy, e.g. {missing[:3]}")
            with po_path.with_suffix(".mo").open("wb") as mo_file:
                write_mo(mo_file, catalog)
            self.stdout.write(f"compiled {po_path}")
        if check and problems:
            raise CommandError("\n".join(problems))
