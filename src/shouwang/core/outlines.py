"""Node outlines from a GeoJSON file: which feature names which node, and what would change.

A feature names its node by a `code` property (or 编码 / 代码), else by `name` (or 名称); only the
nodes the importing user may change are looked at, so a node elsewhere reads as not found.
Nothing here writes: `services.set_outlines` applies the rows marked "set".
"""

import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .geo import as_polygon, gcj02_to_wgs84

CODE_KEYS = ("code", "编码", "代码")
NAME_KEYS = ("name", "名称")
MAX_FEATURES = 5000

SET, UNCHANGED, UNMATCHED, INVALID = "set", "unchanged", "unmatched", "invalid"


@dataclass
class OutlineRow:
    number: int  # the feature's place in the file, from 1
    code: str
    name: str
    outcome: str
    reason: str = ""
    node: object = None
    polygon: dict | None = None


def read_collection(text):
    """The FeatureCollection in `text`, or ValidationError saying in words what the file is instead."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", 1)
        raise ValidationError(_("This is not GeoJSON: the text cannot be read (line %(line)s, column %(col)s).")
                              % {"line": line, "col": getattr(exc, "colno", 1)}) from None
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise ValidationError(_("Give a GeoJSON FeatureCollection: {\"type\": \"FeatureCollection\", \"features\": [...]}."))
    if not data["features"]:
        raise ValidationError(_("The file has no features."))
    if len(data["features"]) > MAX_FEATURES:
        raise ValidationError(_("The file has %(n)s features; import at most %(max)s at a time.")
                              % {"n": len(data["features"]), "max": MAX_FEATURES})
    return data


def _prop(props, keys):
    lowered = {str(k).strip().lower(): v for k, v in props.items()}
    for key in keys:
        value = lowered.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _to_wgs84(polygon):
    rings = []
    for ring in polygon["coordinates"]:
        converted = [list(reversed(gcj02_to_wgs84(lat, lon))) for lon, lat in ring]
        converted[-1] = converted[0]  # conversion keeps the ring closed exactly
        rings.append(converted)
    return {"type": "Polygon", "coordinates": rings}


def plan(collection, nodes, gcj02=False):
    """One OutlineRow per feature. `nodes`: the nodes the user may change (a queryset)."""
    nodes = list(nodes)
    by_code = {n.code: n for n in nodes}
    by_name = {}
    for n in nodes:
        by_name.setdefault(n.name, []).append(n)
    rows, claimed = [], {}
    for number, feature in enumerate(collection["features"], start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        props = props if isinstance(props, dict) else {}
        code, name = _prop(props, CODE_KEYS), _prop(props, NAME_KEYS)
        row = OutlineRow(number=number, code=code, name=name, outcome=INVALID)
        rows.append(row)
        if not code and not name:
            row.outcome, row.reason = UNMATCHED, _("The feature names no node: give it a code or name property.")
            continue
        node = by_code.get(code) if code else None
        if node is None and code and not name:
            row.outcome = UNMATCHED
            row.reason = _("No node with code %(code)s among the nodes you may change.") % {"code": code}
            continue
        if node is None:
            found = by_name.get(name, [])
            if not found:
                row.outcome = UNMATCHED
                row.reason = (_("No node with code %(code)s or name %(name)s among the nodes you may change.")
                              % {"code": code, "name": name} if code else
                              _("No node named %(name)s among the nodes you may change.") % {"name": name})
                continue
            if len(found) > 1:
                row.reason = _("%(n)s nodes are named %(name)s: give the feature a code property.") % {
                    "n": len(found), "name": name}
                continue
            node = found[0]
        row.node = node
        if node.pk in claimed:
            row.reason = _("Feature %(other)s already gives %(node)s its outline.") % {
                "other": claimed[node.pk], "node": node.name}
            continue
        try:
            polygon = as_polygon(feature.get("geometry"))
            if gcj02:
                polygon = as_polygon(_to_wgs84(polygon))
        except ValidationError as exc:
            row.reason = " ".join(exc.messages)
            continue
        claimed[node.pk] = number
        row.polygon = polygon
        row.outcome = UNCHANGED if node.boundary == polygon else SET
    return rows


def counts(rows):
    out = {SET: 0, UNCHANGED: 0, UNMATCHED: 0, INVALID: 0}
    for row in rows:
        out[row.outcome] += 1
    return out
