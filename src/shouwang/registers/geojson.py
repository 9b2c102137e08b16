"""Key places as GeoJSON (RFC 7946: WGS84, lon/lat, right-hand rule): one FeatureCollection for
the map page, its download and the API's GIS endpoint."""

from shouwang.core.geo import oriented, validate_polygon

from .choices import PlaceKind, RiskColour


def _round(x):
    return round(float(x), 7)


def place_feature(place):
    """A place as a Feature: its area when drawn and valid, else its point; geometry None when
    it has neither. Colours are read from `annotate_colours`."""
    geometry = None
    if place.polygon:
        try:
            validate_polygon(place.polygon)
            poly = oriented(place.polygon)
            geometry = {"type": "Polygon", "coordinates": [[[_round(p[0]), _round(p[1])] for p in ring]
                                                           for ring in poly["coordinates"]]}
        except Exception:
            geometry = None
    if geometry is None and place.lat is not None and place.lon is not None:
        geometry = {"type": "Point", "coordinates": [_round(place.lon), _round(place.lat)]}
    return {
        "type": "Feature",
        "id": place.pk,
        "geometry": geometry,
        "properties": {
            "name": place.name, "kind": place.kind, "kind_label": str(PlaceKind(place.kind).label),
            "category": place.category, "category_label": place.get_category_display(),
            "node": place.jurisdiction.code, "node_name": place.jurisdiction.name,
            "colour": getattr(place, "colour", None),
            "colour_label": str(RiskColour(place.colour).label) if getattr(place, "colour", None) else None,
            "url": place.get_absolute_url(),
        },
    }


def feature_collection(places):
    """The places with a location, as a FeatureCollection (places without one are left out)."""
    features = [f for f in (place_feature(p) for p in places) if f["geometry"] is not None]
    return {"type": "FeatureCollection", "features": features}
