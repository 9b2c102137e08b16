"""`manage.py check --deploy`: what a deployment must not run with."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        return [Error("SHOUWANG_SECRET_KEY is not set: the development key is public in the repository.",
                      hint="Set SHOUWANG_SECRET_KEY to a long random value (docs/deploy.md).", id="shouwang.E001")]
    return []


@register(Tags.security, deploy=True)
def admin_is_off_unless_wanted(app_configs, **kwargs):
    if settings.ADMIN_ENABLED:
        return [Warning("Django's admin is on (SHOUWANG_ADMIN=1): it bypasses the jurisdiction scope.",
                        hint="Turn it off after use.", id="shouwang.W001")]
    return []
