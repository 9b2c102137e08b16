"""Refresh an app's message catalogue and fill in Chinese translations.

    python scripts/i18n.py core                 # core + project templates -> src/shouwang/locale
    python scripts/i18n.py registers words.json # an app -> src/shouwang/registers/locale
    python scripts/i18n.py all                  # every catalogue (no new words)

Each app keeps its own catalogue so apps can grow side by side. The .po file is the source
of truth; the .mo files are committed so that a fresh machine needs no gettext tools.
`tests/test_i18n.py` fails on any untranslated string.
"""

import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "src" / "shouwang"
NOT_APPS = {"templates", "static", "locale", "testing", "templatetags", "__pycache__"}


def apps():
    return sorted(p.name for p in PKG.iterdir() if p.is_dir() and p.name not in NOT_APPS and (p / "apps.py").exists())


def refresh(app, word_files):
    if app == "core":
        cwd, ignore = PKG, [f"{a}/*" for a in apps() if a != "core"] + ["testing/*"]
    else:
        cwd, ignore = PKG / app, []
    (cwd / "locale").mkdir(exist_ok=True)
    cmd = [str(Path(sys.executable).parent / "django-admin"), "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-location"]
    for pattern in ignore:
        cmd += ["--ignore", pattern]
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    po_path = cwd / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    for path in word_files:
        words = json.loads(Path(path).read_text(encoding="utf-8"))
        for entry in po:
            if entry.msgid in words:
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: words[entry.msgid]}
                else:
                    entry.msgstr = words[entry.msgid]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
    po.metadata.update({"Language": "zh_Hans", "Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=1; plural=0;"})
    po.save()
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    missing = [e.msgid for e in po if not e.translated()]
    print(f"{app}: {len(po)} messages, {len(missing)} untranslated")
    for msgid in missing:
        print("  ", json.dumps(msgid, ensure_ascii=False))


def main(args):
    if not args:
        sys.exit(__doc__)
    app, word_files = args[0], args[1:]
    for name in apps() if app == "all" else [app]:
        refresh(name, word_files)


if __name__ == "__main__":
    main(sys.argv[1:])
