import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand

from shouwang.core.changelog import change_context
from shouwang.core.choices import ChangeSource


class Command(BaseCommand):
    help = "Load the fictional demo district (idempotent: loads nothing twice)."

    def handle(self, *args, **options):
        with change_context(source=ChangeSource.COMMAND):
            for config in apps.get_app_configs():
                if not config.name.startswith("shouwang."):
                    continue
                if importlib.util.find_spec(f"{config.name}.demo") is None:
                    continue
                importlib.import_module(f"{config.name}.demo").load(out=self.stdout.write)
