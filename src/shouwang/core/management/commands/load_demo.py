import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import translation

from shouwang.core.changelog import change_context
from shouwang.core.choices import ChangeSource


class Command(BaseCommand):
    help = "Load the fictional demo district (idempotent: loads nothing twice)."

    def handle(self, *args, **options):
        # Demo records are Chinese whatever the shell's language: names are built from labels.
        with change_context(source=ChangeSource.COMMAND), translation.override("zh-hans"):
            for config in apps.get_app_configs():
                if not config.name.startswith("shouwang."):
                    continue
                if importlib.util.find_spec(f"{config.name}.demo") is None:
                    continue
                importlib.import_module(f"{config.name}.demo").load(out=self.stdout.write)
