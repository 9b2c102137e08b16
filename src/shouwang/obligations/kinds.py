"""Human labels for obligation kinds (`core.registry.KINDS`). Apps register theirs in
AppConfig.ready(), naming the kind by its constant in their choices.py:

    from shouwang.obligations import kinds
    kinds.register(KIND_MORNING_REPORT, _("scheduled daily report (morning)"))

Readers (the obligations board, the accountability audit) call `label(kind)`; a kind nobody
registered shows as its raw string, so a new kind appears everywhere without changes there.
"""

from shouwang.core.registry import KINDS


def register(kind: str, label) -> None:
    KINDS.register(kind, label)


def label(kind: str) -> str:
    found = KINDS.get(kind)
    return str(found) if found is not None else kind


def known() -> dict[str, str]:
    return {kind: str(text) for kind, text in KINDS.items()}
