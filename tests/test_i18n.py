"""Every user-facing string has its Chinese translation, and the compiled catalogue is current."""

from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "src" / "shouwang" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated():
    po = polib.pofile(str(PO))
    missing = [e.msgid for e in po if not e.translated() or "fuzzy" in e.flags]
    assert not missing, f"untranslated: {missing[:20]}"


def test_compiled_catalogue_matches_po():
    po = polib.pofile(str(PO))
    mo = polib.mofile(str(PO.with_suffix(".mo")))
    assert {e.msgid: e.msgstr for e in po if not e.msgid_plural} == {
        e.msgid: e.msgstr for e in mo if not e.msgid_plural and e.msgid
    }


def test_placeholders_survive_translation():
    import re

    pattern = re.compile(r"%\(\w+\)s|\{\w+\}")
    po = polib.pofile(str(PO))
    for e in po:
        if e.msgstr:
            assert sorted(pattern.findall(e.msgid)) == sorted(pattern.findall(e.msgstr)), e.msgid
