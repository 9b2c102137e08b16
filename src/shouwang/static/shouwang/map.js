/* One way to set up a map, for every page that has one: Leaflet with no tiles unless the office
 * runs its own map server (SHOUWANG_MAP_TILES), the jurisdiction nodes drawn and labelled the
 * same way, tooltips that open by tap as well as by hover, and fitting to what is shown.
 *   var m = Shouwang.map("map");            // element or id
 *   Shouwang.drawNodes(m, nodes);           // GeoJSON FeatureCollection or [{name, lat, lon, boundary}]
 *   Shouwang.drawNodes(m, nodes, {labels: false});
 *   Shouwang.tip(layer, "text");            // hover on a desk, tap on a phone
 *   Shouwang.fit(m, [layerOrLatLng, ...]);  // fit them all, or the default centre
 * With no tile server set there are no tiles, no attribution and no flag: nothing leaves the page.
 */
(function () {
  var NODE = "#8c8f94";
  var DEFAULT_CENTRE = [31.23, 121.478];  // shown only when nothing has a position
  var LEVELS = ["district", "street", "community", "area", "grid"];  // label priority, biggest first

  function config() {
    var el = document.getElementById("shouwang-map-config");
    if (!el) return {};
    try { return JSON.parse(el.textContent) || {}; } catch (e) { return {}; }
  }

  function map(el, options) {
    var opts = Object.assign({zoomSnap: 0.25, attributionControl: false}, options || {});
    // The shared renderer joins the map first: a path added before the map has a view would
    // otherwise be drawn by a renderer that is not ready yet (outlines before markers).
    if (!opts.renderer) opts.renderer = L.svg();
    var m = L.map(el, opts);
    opts.renderer.addTo(m);
    var c = config();
    if (c.tiles) {
      L.tileLayer(c.tiles, {maxZoom: c.max_zoom || 19, attribution: c.attribution || ""}).addTo(m);
      if (c.attribution) L.control.attribution({prefix: false}).addAttribution(c.attribution).addTo(m);
    }
    return m;
  }

  function asFeatures(nodes) {
    if (nodes && nodes.type === "FeatureCollection") return nodes;
    var features = [];
    (nodes || []).forEach(function (n) {
      var props = {name: n.name, level: n.level};
      if (n.boundary) features.push({type: "Feature", geometry: n.boundary, properties: props});
      else if (n.lat != null && n.lon != null) {
        features.push({type: "Feature", geometry: {type: "Point", coordinates: [n.lon, n.lat]}, properties: props});
      }
    });
    return {type: "FeatureCollection", features: features};
  }

  /* A tooltip that a tap opens too (a phone has no hover). A layer with a popup shows the
   * popup on tap and keeps the tooltip for the mouse. A tap on the map closes an open tip. */
  function tip(layer, content, options) {
    layer.bindTooltip(content, Object.assign({direction: "top", offset: [0, -6]}, options || {}));
    layer.on("click", function () {
      if (layer.getPopup && layer.getPopup()) { layer.closeTooltip(); return; }
      layer.openTooltip();
    });
    layer.on("popupopen", function () { layer.closeTooltip(); });
    return layer;
  }

  /* Labels that would overlap a bigger node's label are hidden until one zooms in. */
  function declutter(labels) {
    var shown = [];
    labels.forEach(function (item) {
      var t = item.layer.getTooltip(), el = t && t.getElement();
      if (!el) return;
      el.style.visibility = "";
      var r = el.getBoundingClientRect();
      var clash = shown.some(function (s) {
        return r.left < s.right && r.right > s.left && r.top < s.bottom && r.bottom > s.top;
      });
      if (clash) el.style.visibility = "hidden";
      else shown.push(r);
    });
  }

  function drawNodes(m, nodes, options) {
    var opts = Object.assign({labels: true}, options || {});
    var labels = [];
    var layer = L.geoJSON(asFeatures(nodes), {
      style: {color: NODE, weight: 1, dashArray: "4 3", fillOpacity: 0.03},
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, {radius: 3, color: NODE, weight: 1, fillOpacity: 0.4});
      },
      onEachFeature: function (f, l) {
        var p = f.properties || {};
        if (!p.name) return;
        if (!opts.labels) { tip(l, p.name); return; }
        var point = f.geometry && f.geometry.type === "Point";
        l.bindTooltip(p.name, {
          permanent: true, interactive: false, className: "node-label node-label-" + (p.level || "node"),
          direction: point ? "right" : "center", offset: point ? [4, 0] : [0, 0]
        });
        var rank = LEVELS.indexOf(p.level);
        labels.push({layer: l, rank: rank < 0 ? LEVELS.length : rank, point: point});
      }
    }).addTo(m);
    if (labels.length) {
      labels.sort(function (a, b) { return a.rank - b.rank || (a.point - b.point); });
      var run = function () { declutter(labels); };
      m.on("zoomend moveend resize", run);
      m.whenReady(function () { setTimeout(run, 0); });
    }
    layer.labels = labels;
    return layer;
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

  window.Shouwang = Object.assign(window.Shouwang || {}, {
    map: map, drawNodes: drawNodes, fit: fit, tip: tip, mapConfig: config
  });
})();
