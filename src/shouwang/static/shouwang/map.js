/* One way to set up a map, for every page that has one: Leaflet with no tiles (it works on a
 * closed network), the jurisdiction nodes drawn the same way, and fitting to what is shown.
 *   var m = Shouwang.map("map");            // element or id
 *   Shouwang.drawNodes(m, nodes);           // GeoJSON FeatureCollection or [{name, lat, lon, boundary}]
 *   Shouwang.fit(m, [layerOrLatLng, ...]);  // fit them all, or the default centre
 */
(function () {
  var NODE = "#8c8f94";
  var DEFAULT_CENTRE = [31.23, 121.478];  // shown only when nothing has a position

  function map(el, options) {
    var m = L.map(el, Object.assign({zoomSnap: 0.25, attributionControl: false}, options || {}));
    return m;
  }

  function asFeatures(nodes) {
    if (nodes && nodes.type === "FeatureCollection") return nodes;
    var features = [];
    (nodes || []).forEach(function (n) {
      if (n.boundary) features.push({type: "Feature", geometry: n.boundary, properties: {name: n.name}});
      else if (n.lat != null && n.lon != null) {
        features.push({type: "Feature", geometry: {type: "Point", coordinates: [n.lon, n.lat]}, properties: {name: n.name}});
      }
    });
    return {type: "FeatureCollection", features: features};
  }

  function drawNodes(m, nodes) {
    return L.geoJSON(asFeatures(nodes), {
      style: {color: NODE, weight: 1, dashArray: "4 3", fillOpacity: 0.03},
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, {radius: 3, color: NODE, weight: 1, fillOpacity: 0.4});
      },
      onEachFeature: function (f, layer) { if (f.properties.name) layer.bindTooltip(f.properties.name); }
    }).addTo(m);
  }

  function fit(m, things, maxZoom) {
    var bounds = L.latLngBounds([]);
    (things || []).forEach(function (t) {
      if (!t) return;
      if (t.getBounds) { var b = t.getBounds(); if (b.isValid()) bounds.extend(b); }
      else bounds.extend(t);
    });
    if (bounds.isValid()) m.fitBounds(bounds.pad(0.1), {maxZoom: maxZoom || 17});
    else m.setView(DEFAULT_CENTRE, 14);
    m.getContainer().dataset.ready = "1";
    return m;
  }

  window.Shouwang = Object.assign(window.Shouwang || {}, {map: map, drawNodes: drawNodes, fit: fit});
})();
