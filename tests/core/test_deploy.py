"""Secrets stay secret: `serve` refuses the public development key, the demo makes its own,
`check --deploy` is clean with the documented settings and flags the missing key; /admin/ is off."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import override_settings
from django.urls import clear_url_caches, resolve
from django.urls.exceptions import Resolver404

from shouwang import cli

ROOT = Path(__file__).resolve().parents[2]


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHOUWANG_", "DATABASE_URL"))}
    return {**env, **extra}


def test_serve_refuses_to_start_without_a_secret_key(tmp_path):
    done = subprocess.run([sys.executable, "-c", "from shouwang.cli import main; main(['serve'])"],
                          env=_env(SHOUWANG_VAR=str(tmp_path)), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "SHOUWANG_SECRET_KEY" in done.stderr


def test_the_demo_makes_its_own_key_once(tmp_path, monkeypatch):
    monkeypatch.delenv("SHOUWANG_SECRET_KEY", raising=False)
    monkeypatch.setenv("SHOUWANG_VAR", str(tmp_path))
    cli._demo_secret_key()
    key = (tmp_path / "secret_key").read_text()
    cli._demo_secret_key()
    assert (tmp_path / "secret_key").read_text() == key and len(key) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def _check_deploy(**env):
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--tag", "security",
                           "--fail-level", "WARNING"], cwd=ROOT, env=_env(**env), capture_output=True, text=True,
                          timeout=120)


def test_check_deploy_flags_the_development_key_and_is_clean_as_documented(tmp_path):
    bare = _check_deploy(SHOUWANG_VAR=str(tmp_path))
    assert bare.returncode != 0 and "shouwang.E001" in bare.stderr + bare.stdout
    documented = _check_deploy(SHOUWANG_VAR=str(tmp_path), SHOUWANG_SECRET_KEY=secrets.token_urlsafe(50),
                               SHOUWANG_HTTPS="1", SHOUWANG_ALLOWED_HOSTS="shouwang.example.org")
    assert documented.returncode == 0, documented.stderr + documented.stdout


def test_admin_is_off_unless_enabled():
    try:
        resolve("/admin/")
        on = True
    except Resolver404:
        on = False
    assert not on
    with override_settings(ADMIN_ENABLED=True):
        import importlib

        import shouwang.urls

        clear_url_caches()
        importlib.reload(shouwang.urls)
        try:
            assert resolve("/admin/").url_name == "index"
        finally:
            with override_settings(ADMIN_ENABLED=False):
                importlib.reload(shouwang.urls)
                clear_url_caches()
