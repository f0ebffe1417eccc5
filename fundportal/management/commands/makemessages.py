"""makemessages without gettext's fuzzy guesses (they pair new texts with unrelated old translations)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = ["-q", "--backup=none", "--previous", "--update", "--no-fuzzy-matching"]

    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), ".venv/*", "node_modules/*", "tests/*"]
        return super().handle(*args, **options)
