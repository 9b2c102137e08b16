"""Refresh the message catalogues and fill in Chinese translations.

    python scripts/i18n.py                 # makemessages for zh_Hans, compile .mo
    python scripts/i18n.py words.json      # also set msgstr from a {"English": "中文"} file

The .po file is the source of truth; the .mo files are committed so that a fresh
machine needs no gettext tools. `tests/test_i18n.py` fails on any untranslated string.
"""

import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "src" / "shouwang"
PO = PKG / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def main(args):
    subprocess.run(
        [str(Path(sys.executable).parent / "django-admin"), "makemessages", "-l", "zh_Hans", "--no-obsolete",
         "--ignore", "testing/*", "--no-location"],
        cwd=PKG, check=True,
    )
    po = polib.pofile(str(PO))
    for path in args:
        words = json.loads(Path(path).read_text(encoding="utf-8"))
        for entry in po:
            if entry.msgid in words:
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: words[entry.msgid]}
                else:
                    entry.msgstr = words[entry.msgid]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.save()
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    missing = [e.msgid for e in po if not e.translated()]
    print(f"{len(po)} messages, {len(missing)} untranslated")
    for msgid in missing:
        print("  ", json.dumps(msgid, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
