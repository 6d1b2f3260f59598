from django.core.management.base import BaseCommand

from kinocritics.core.demo.loader import DEMO_EDITOR, demo_load


class Command(BaseCommand):
    help = "Add the demo critics, reviews and stills (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--editor-password",
            default="kinocritics-demo",
            help="Password for the demo editor account (local use only).",
        )

    def handle(self, *args, editor_password: str, **options):
        report = demo_load(editor_password=editor_password)
        self.stdout.write(self.style.SUCCESS(str(report)))
        for run in report.screening_runs:
            self.stdout.write(f"  showtimes: {run}")
        self.stdout.write(
            f"Demo editor login: http://127.0.0.1:8000/admin/  user “{DEMO_EDITOR}”  "
            f"password “{editor_password}”"
        )
