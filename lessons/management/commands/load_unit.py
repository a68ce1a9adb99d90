"""`manage.py load_unit`: load the unit from lessons/content/ (idempotent; keeps admin edits)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lessons.loader import CONTENT_DIR, ContentError, LoadConflict, load_unit


class Command(BaseCommand):
    help = (
        "Load the unit (lessons, readings, prompts, plans, timeline) from the TOML files in lessons/content/. "
        "Safe to run again: rows an admin has edited are kept unless --reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Overwrite rows an admin has edited with the content from the files.",
        )
        parser.add_argument(
            "--content-dir", type=Path, default=CONTENT_DIR, help="Where the TOML files are (default: %(default)s)."
        )

    def handle(self, *args, reset: bool, content_dir: Path, verbosity: int, **options):
        try:
            report = load_unit(content_dir=content_dir, reset=reset)
        except (ContentError, LoadConflict) as exc:
            raise CommandError(str(exc)) from exc
        if verbosity == 0:
            return
        if report.changed or report.kept:
            self.stdout.write(f"Unit loaded: {report.summary()}.")
        else:
            self.stdout.write("Unit already up to date.")
        if report.kept:
            self.stdout.write(
                f"Kept {len(report.kept)} row(s) edited in the admin; run with --reset to overwrite them."
            )
            if verbosity > 1:
                for row in report.kept:
                    self.stdout.write(f"  kept: {row}")
