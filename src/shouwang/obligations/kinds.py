"""Human labels for obligation kinds. Apps register theirs in AppConfig.ready():

    from shouwang.obligations import kinds
    kinds.register("briefings.morning_report", _("scheduled daily report (morning)"))

Readers (the obligations board, the accountability audit) call `label(kind)`; a kind nobody
registered shows as its raw string, so a new kind appears everywhere without changes there.
"""

LABELS: dict[str, object] = {}


def register(kind: str, label) -> None:
    LABELS[kind] = label


def label(kind: str) -> str:
    found = LABELS.get(kind)
    return str(found) if found is not None else kind


def known() -> dict[str, str]:
    return {kind: str(text) for kind, text in LABELS.items()}
