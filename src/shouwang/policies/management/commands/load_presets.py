from django.core.management.base import BaseCommand

from shouwang.core.changelog import change_context
from shouwang.core.choices import ChangeSource
from shouwang.policies.services import load_presets


class Command(BaseCommand):
    help = "Load (or update) the five policy presets shipped with Shouwang."

    def handle(self, *args, **options):
        with change_context(source=ChangeSource.COMMAND):
            load_presets(out=self.stdout.write)
