"""The comprehensive ledger of a node (辖区综合防控台账), rolled up the tree, and its Word export.

Figures another app owns (open hazards from inspections, patrol grid layout) come from
`LEDGER_FIGURES`, a registry those apps fill in their AppConfig.ready():
`register_ledger_figure(key, label, func)` with `func(node) -> number` over the subtree.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from shouwang.core import documents
from shouwang.core.choices import NodeLevel, PersonKind
from shouwang.core.models import Jurisdiction, Person, Unit
from shouwang.core.registry import LEDGER_FIGURES

from .choices import COLOUR_ORDER, PlaceKind, RiskColour, WorkingState
from .models import Defence, HazardousStock, KeyPlace
from .queries import colour_subquery

FORCE_KINDS = [PersonKind.PATROL, PersonKind.VOLUNTEER, PersonKind.SECURITY, PersonKind.POLICE, PersonKind.GRID_WORKER]


def register_ledger_figure(key, label, func):
    LEDGER_FIGURES.register(key, (label, func))


@dataclass
class LedgerRow:
    node: object
    area_km2: object = None
    resident_population: int | None = None
    actual_population: int | None = None
    units: int = 0
    grids: int = 0
    places: int = 0
    by_kind: dict = field(default_factory=dict)
    by_colour: dict = field(default_factory=dict)
    forces: dict = field(default_factory=dict)
    cameras: int = 0
    places_defended: int = 0
    defences_out_of_order: int = 0
    hazardous_stocks: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def coverage_percent(self):
        return round(100 * self.places_defended / self.places) if self.places else None


def _row(node, day):
    sub = Q(jurisdiction__path__startswith=node.path)
    places = KeyPlace.objects.filter(sub)
    row = LedgerRow(node=node, area_km2=node.area_km2, resident_population=node.resident_population,
                    actual_population=node.actual_population)
    row.units = Unit.objects.filter(sub).count()
    row.grids = Jurisdiction.objects.filter(path__startswith=node.path, level=NodeLevel.GRID).count()
    row.by_kind = {k: 0 for k in PlaceKind.values}
    for item in places.values("kind").annotate(n=Count("pk")):
        row.by_kind[item["kind"]] = item["n"]
    row.places = sum(row.by_kind.values())
    row.by_colour = {c: 0 for c in [*reversed(COLOUR_ORDER), ""]}
    for colour in places.annotate(c=colour_subquery(day)).values_list("c", flat=True):
        row.by_colour[colour or ""] += 1
    row.forces = {k: 0 for k in FORCE_KINDS}
    for item in Person.objects.filter(sub, kind__in=FORCE_KINDS, active=True).values("kind").annotate(n=Count("pk")):
        row.forces[item["kind"]] = item["n"]
    defences = Defence.objects.filter(sub)
    row.cameras = defences.filter(type="cctv").aggregate(n=Sum("cctv_count"))["n"] or 0
    row.places_defended = places.filter(defences__state=WorkingState.WORKING).distinct().count()
    row.defences_out_of_order = defences.exclude(state=WorkingState.WORKING).count()
    row.hazardous_stocks = HazardousStock.objects.filter(sub, quantity__gt=0).count()
    for key, (_label, func) in LEDGER_FIGURES.items():
        row.extra[key] = func(node)
    if row.area_km2 is None or row.resident_population is None:
        children = list(node.children())
        if children:
            if row.area_km2 is None and all(c.area_km2 is not None for c in children):
                row.area_km2 = sum(c.area_km2 for c in children)
            if row.resident_population is None and all(c.resident_population is not None for c in children):
                row.resident_population = sum(c.resident_population for c in children)
            if row.actual_population is None and all(c.actual_population is not None for c in children):
                row.actual_population = sum(c.actual_population for c in children)
    return row


def ledger(node, day=None):
    """(the node's own row with its subtree's totals, [one row per child subtree])."""
    day = day or timezone.localdate()
    return _row(node, day), [_row(child, day) for child in node.children()]


def headings():
    return {
        "kinds": [(k, label) for k, label in PlaceKind.choices],
        "colours": [(c, RiskColour(c).label) for c in reversed(COLOUR_ORDER)] + [("", gettext_lazy("not rated"))],
        "forces": [(k, PersonKind(k).label) for k in FORCE_KINDS],
        "extra": [(k, label) for k, (label, _f) in LEDGER_FIGURES.items()],
    }


def _cells(row, heads):
    def n(value):
        return "—" if value is None else str(value)

    return [
        row.node.name, n(row.area_km2), n(row.resident_population), n(row.actual_population), str(row.units),
        str(row.grids),
        str(row.places), *[str(row.by_kind.get(k, 0)) for k, _l in heads["kinds"]],
        *[str(row.by_colour.get(c, 0)) for c, _l in heads["colours"]],
        *[str(row.forces.get(k, 0)) for k, _l in heads["forces"]],
        str(row.cameras), n(row.coverage_percent), str(row.defences_out_of_order), str(row.hazardous_stocks),
        *[n(row.extra.get(k)) for k, _l in heads["extra"]],
    ]


def column_titles(heads):
    return [
        _("node"), _("area (km²)"), _("resident population"), _("actual population"), _("units"), _("grids"),
        _("key places"), *[str(label) for _k, label in heads["kinds"]],
        *[str(label) for _k, label in heads["colours"]], *[str(label) for _k, label in heads["forces"]],
        _("cameras"), _("defence coverage (%)"), _("defences out of order"), _("hazardous stocks held"),
        *[str(label) for _k, label in heads["extra"]],
    ]


def table(node, day=None):
    heads = headings()
    total, children = ledger(node, day)
    return column_titles(heads), [_cells(r, heads) for r in children], _cells(total, heads)


def docx_bytes(node, day=None):
    """The ledger as a Chinese Word document, A4 landscape, one row per child node and the total."""
    day = day or timezone.localdate()
    with override("zh-hans"):
        titles, rows, total = table(node, day)
        doc = documents.new_document(landscape=True, margin_cm=1.5, size_pt=10.5)
        documents.add_title(doc, _("Comprehensive prevention ledger of %(node)s") % {"node": node.name}, size_pt=18)
        doc.add_paragraph(_("As of %(date)s. Figures of each row cover the node and everything below it.")
                          % {"date": documents.zh_date(day)})
        documents.add_table(doc, titles, [*rows, [_("Total"), *total[1:]]], size_pt=8)
        doc.add_paragraph(_("Defence coverage: share of key places with at least one working defence."))
        return documents.docx_bytes(doc)
