"""Geometry, once for every app: polygon checks, RFC 7946 orientation, GCJ-02 <-> WGS84, distance.

Polygons are GeoJSON-shaped dicts in WGS84: {"type": "Polygon", "coordinates": [ring, ...]},
each ring a list of [lon, lat] positions whose first and last are the same.
"""

import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _segments_cross(p1, p2, q1, q2) -> bool:
    """Whether segments p1-p2 and q1-q2 intersect (touching counts)."""

    def orient(a, b, c):
        value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return 0 if abs(value) < 1e-18 else (1 if value > 0 else -1)

    def on_segment(a, b, c):
        return min(a[0], b[0]) <= c[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= c[1] <= max(a[1], b[1])

    o1, o2, o3, o4 = orient(p1, p2, q1), orient(p1, p2, q2), orient(q1, q2, p1), orient(q1, q2, p2)
    if o1 != o2 and o3 != o4:
        return True
    return (o1 == 0 and on_segment(p1, p2, q1)) or (o2 == 0 and on_segment(p1, p2, q2)) or \
        (o3 == 0 and on_segment(q1, q2, p1)) or (o4 == 0 and on_segment(q1, q2, p2))


def ring_self_intersects(ring) -> bool:
    """A closed ring crosses or touches itself anywhere but at neighbouring segments' shared points."""
    n = len(ring) - 1  # segments
    for i in range(n):
        for j in range(i + 1, n):
            if j == i + 1 or (i == 0 and j == n - 1):
                continue  # neighbours share a vertex
            if _segments_cross(ring[i], ring[i + 1], ring[j], ring[j + 1]):
                return True
    return False


def signed_area(ring) -> float:
    """Shoelace area in degrees²; positive for counter-clockwise rings."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False)) / 2


def validate_polygon(value):
    """Raise ValidationError unless `value` is a closed, simple GeoJSON polygon in WGS84 range."""
    if value in (None, ""):
        return
    if not isinstance(value, dict) or value.get("type") != "Polygon" or not isinstance(value.get("coordinates"), list):
        raise ValidationError(_("Give a GeoJSON polygon: {\"type\": \"Polygon\", \"coordinates\": [[[lon, lat], ...]]}."))
    rings = value["coordinates"]
    if not rings:
        raise ValidationError(_("The polygon has no ring."))
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise ValidationError(_("A ring needs at least four positions (three corners and the first again)."))
        for pos in ring:
            if (not isinstance(pos, list | tuple) or len(pos) < 2
                    or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in pos[:2])):
                raise ValidationError(_("Each position is [longitude, latitude]."))
            if not (-180 <= pos[0] <= 180 and -90 <= pos[1] <= 90):
                raise ValidationError(_("Position %(pos)s is out of range (longitude first, then latitude).")
                                      % {"pos": list(pos[:2])})
        if list(ring[0][:2]) != list(ring[-1][:2]):
            raise ValidationError(_("The polygon is not closed: the last position must repeat the first."))
        if ring_self_intersects([list(p[:2]) for p in ring]):
            raise ValidationError(_("The polygon crosses itself."))
        if abs(signed_area(ring)) < 1e-14:
            raise ValidationError(_("The polygon has no area."))


def oriented(polygon):
    """A copy following RFC 7946's right-hand rule: exterior counter-clockwise, holes clockwise."""
    rings = []
    for i, ring in enumerate(polygon["coordinates"]):
        ring = [[float(p[0]), float(p[1])] for p in ring]
        ccw = signed_area(ring) > 0
        if (i == 0) != ccw:
            ring = ring[::-1]
        rings.append(ring)
    return {"type": "Polygon", "coordinates": rings}


def as_polygon(geometry, precision=7):
    """The one polygon a node's outline is, from a GeoJSON Polygon, a Feature holding one, or a
    MultiPolygon of one part; checked (ValidationError with the reason) and oriented (RFC 7946),
    positions rounded to `precision` decimals (7: about a centimetre)."""
    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    if isinstance(geometry, dict) and geometry.get("type") == "MultiPolygon":
        parts = geometry.get("coordinates")
        if not isinstance(parts, list) or len(parts) != 1:
            raise ValidationError(_("The outline has %(n)s separate parts; a node's outline is one polygon.")
                                  % {"n": len(parts) if isinstance(parts, list) else 0})
        geometry = {"type": "Polygon", "coordinates": parts[0]}
    if not isinstance(geometry, dict) or geometry.get("type") != "Polygon":
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if kind:
            raise ValidationError(_("This is a %(kind)s, not a polygon: an outline is a closed ring of points.")
                                  % {"kind": kind})
        raise ValidationError(_("Give a GeoJSON polygon: {\"type\": \"Polygon\", \"coordinates\": [[[lon, lat], ...]]}."))
    validate_polygon(geometry)
    polygon = oriented(geometry)
    polygon["coordinates"] = [[[round(x, precision), round(y, precision)] for x, y in ring]
                              for ring in polygon["coordinates"]]
    return polygon


def node_features(nodes):
    """The map's FeatureCollection of jurisdiction nodes: the outline where one is drawn (and
    valid), else the centre point; nodes with neither are left out. Properties: name, code, level."""
    features = []
    for node in nodes:
        geometry = None
        if node.boundary:
            try:
                validate_polygon(node.boundary)
                geometry = oriented(node.boundary)
            except (ValidationError, TypeError, ValueError, KeyError):
                geometry = None
        if geometry is None and node.lat is not None and node.lon is not None:
            geometry = {"type": "Point", "coordinates": [node.lon, node.lat]}
        if geometry is not None:
            features.append({"type": "Feature", "geometry": geometry,
                             "properties": {"name": node.name, "code": node.code, "level": node.level}})
    return {"type": "FeatureCollection", "features": features}


def centroid(polygon):
    ring = polygon["coordinates"][0][:-1]
    return sum(p[1] for p in ring) / len(ring), sum(p[0] for p in ring) / len(ring)


# --- GCJ-02 (the obfuscated datum of Chinese web maps) <-> WGS84 --------------------------
_A = 6378245.0
_EE = 0.00669342162296594323


def out_of_china(lat, lon) -> bool:
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _transform_lat(x, y):
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x, y):
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lat, lon):
    if out_of_china(lat, lon):
        return lat, lon
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lat + dlat, lon + dlon


def gcj02_to_wgs84(lat, lon, tolerance=1e-9, max_iter=30):
    """Invert the forward transform by fixed-point iteration (error far below a metre)."""
    if out_of_china(lat, lon):
        return lat, lon
    wlat, wlon = lat, lon
    for _i in range(max_iter):
        glat, glon = wgs84_to_gcj02(wlat, wlon)
        dlat, dlon = glat - lat, glon - lon
        wlat, wlon = wlat - dlat, wlon - dlon
        if abs(dlat) < tolerance and abs(dlon) < tolerance:
            break
    return wlat, wlon


EARTH_RADIUS_M = 6371008.8  # the IUGG mean radius


def distance_m(lat1, lon1, lat2, lon2) -> float:
    """Great-circle (haversine) distance in metres between two WGS84 points."""
    r = EARTH_RADIUS_M
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))
