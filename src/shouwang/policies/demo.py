"""Demo policies: the five presets; the street uses B, C, D and A (A's incident clocks win)."""

from shouwang.core.models import Jurisdiction

from .models import NodePolicy
from .services import assign, load_presets


def load(out=print):
    presets = {p.code: p for p in load_presets(out=lambda *_: None)}
    street = Jurisdiction.objects.filter(code="QL-WC").first()
    if street is None or NodePolicy.objects.filter(jurisdiction=street).exists():
        out("Demo policies already assigned.")
        return
    for priority, code in enumerate(
        ["community-patrol-measures-b", "event-security-posture-c", "street-prevention-plan-d", "street-emergency-plan-a"], 1
    ):
        assign(street, presets[code], priority=priority)
    out("Demo policies assigned.")
