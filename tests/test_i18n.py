"""Every user-facing string has its Chinese translation, and the compiled catalogue is current."""

from pathlib import Path

import polib
import pytest

PKG = Path(__file__).resolve().parent.parent / "src" / "shouwang"
CATALOGUES = sorted(PKG.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))



@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_every_message_is_translated(path):
    po = polib.pofile(str(path))
    missing = [e.msgid for e in po if not e.translated() or "fuzzy" in e.flags]
    assert not missing, f"untranslated: {missing[:20]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_compiled_catalogue_matches_po(path):
    po = polib.pofile(str(path))
    mo = polib.mofile(str(path.with_suffix(".mo")))
    assert {e.msgid: e.msgstr for e in po if not e.msgid_plural} == {
        e.msgid: e.msgstr for e in mo if not e.msgid_plural and e.msgid
    }


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_placeholders_survive_translation(path):
    import re

    pattern = re.compile(r"%\(\w+\)s|\{\w+\}")
    po = polib.pofile(str(path))
    for e in po:
        if e.msgstr:
            assert sorted(pattern.findall(e.msgid)) == sorted(pattern.findall(e.msgstr)), e.msgid


def test_one_translation_per_message_across_catalogues():
    """Django merges every app's catalogue: a msgid translated two ways shows one of them everywhere.
    Different meanings need different msgids (or pgettext contexts)."""
    seen: dict = {}
    for path in CATALOGUES:
        for e in polib.pofile(str(path)):
            if e.msgstr and not e.msgid_plural:
                seen.setdefault((e.msgctxt, e.msgid), {}).setdefault(e.msgstr, []).append(path.parts[-5])
    clashes = {msgid: found for msgid, found in seen.items() if len(found) > 1}
    assert not clashes, clashes
