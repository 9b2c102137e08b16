/* The outline editor under every [data-outline] box (core/widgets/outline.html): a click on the
 * map adds a corner, a corner drags, Undo steps back (adds, drags, clears), Clear empties it.
 * The textarea holds the GeoJSON polygon the form sends; text pasted there is drawn. The server
 * checks it (core.geo): what is drawn here is never trusted as valid. Needs shouwang/map.js. */
(function () {
  var DIGITS = 1e7;  // about a centimetre

  function round(x) { return Math.round(x * DIGITS) / DIGITS; }

  function init(box) {
    var input = box.querySelector("textarea");
    var mapEl = box.querySelector(".outline-map");
    var status = box.querySelector("[data-outline-status]");
    var m = Shouwang.map(mapEl, {doubleClickZoom: false});
    var ctxEl = document.getElementById(mapEl.dataset.context);
    var context = ctxEl ? Shouwang.drawNodes(m, JSON.parse(ctxEl.textContent)) : null;
    var corners = [], holes = [], history = [];
    // Added once the map has a view (a path on a map with no view yet cannot be projected).
    var shape = L.polygon([], {color: "#1565c0", weight: 2, fillOpacity: 0.12, interactive: false});
    var handles = L.layerGroup();
    var icon = function (first) {
      return L.divIcon({className: "outline-vertex" + (first ? " first" : ""), iconSize: [14, 14]});
    };

    function say(key, n) {
      status.textContent = (status.dataset[key] || "").replace("%(n)s", n);
    }

    function read(text) {
      var g;
      try { g = JSON.parse(text); } catch (e) { return false; }
      if (g && g.type === "FeatureCollection" && g.features && g.features.length === 1) g = g.features[0];
      if (g && g.type === "Feature") g = g.geometry;
      if (g && g.type === "MultiPolygon" && g.coordinates && g.coordinates.length === 1) {
        g = {type: "Polygon", coordinates: g.coordinates[0]};
      }
      if (!g || g.type !== "Polygon" || !Array.isArray(g.coordinates) || !Array.isArray(g.coordinates[0])) return false;
      var ring = g.coordinates[0].filter(function (p) { return Array.isArray(p) && isFinite(p[0]) && isFinite(p[1]); });
      if (ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1]) ring.pop();
      corners = ring.map(function (p) { return [p[1], p[0]]; });
      holes = g.coordinates.slice(1);
      return true;
    }

    function write() {
      if (!corners.length) { input.value = ""; return; }
      var ring = corners.map(function (c) { return [round(c[1]), round(c[0])]; });
      ring.push(ring[0].slice());
      input.value = JSON.stringify({type: "Polygon", coordinates: [ring].concat(holes)});
    }

    function draw() {
      shape.setLatLngs(corners.length ? [corners] : []);
      handles.clearLayers();
      corners.forEach(function (c, i) {
        var h = L.marker(c, {icon: icon(i === 0), draggable: true, keyboard: false}).addTo(handles);
        h.on("dragstart", remember);
        h.on("drag", function (e) {
          corners[i] = [e.latlng.lat, e.latlng.lng];
          shape.setLatLngs([corners]);
        });
        h.on("dragend", function () { write(); say(corners.length < 3 ? "few" : "some", corners.length); });
      });
      if (!corners.length) say("empty", 0);
      else say(corners.length < 3 ? "few" : "some", corners.length);
      mapEl.dataset.corners = String(corners.length);
    }

    function remember() { history.push({corners: corners.map(function (c) { return c.slice(); }), holes: holes}); }

    m.on("click", function (e) {
      remember();
      corners.push([e.latlng.lat, e.latlng.lng]);
      write(); draw();
    });
    box.querySelector("[data-outline-undo]").addEventListener("click", function () {
      var last = history.pop();
      if (!last) return;
      corners = last.corners; holes = last.holes;
      write(); draw();
    });
    box.querySelector("[data-outline-clear]").addEventListener("click", function () {
      if (!corners.length) return;
      remember();
      corners = []; holes = [];
      write(); draw();
    });
    input.addEventListener("input", function () {
      var before = {corners: corners, holes: holes};
      if (!input.value.trim()) { history.push(before); corners = []; holes = []; draw(); return; }
      if (read(input.value)) {
        history.push(before);
        draw();
        if (corners.length) m.fitBounds(shape.getBounds().pad(0.2), {maxZoom: 18});
      } else {
        say("unreadable", 0);
      }
    });

    var readable = input.value.trim() ? read(input.value) : true;
    if (corners.length) Shouwang.fit(m, [L.latLngBounds(corners)]);
    else if (input.dataset.lat && input.dataset.lon) {  // the node's centre, when it has one
      m.setView([parseFloat(input.dataset.lat), parseFloat(input.dataset.lon)], 16);
      mapEl.dataset.ready = "1";
    } else Shouwang.fit(m, context ? [context] : []);
    shape.addTo(m); handles.addTo(m);
    draw();
    if (!readable) say("unreadable", 0);
  }

  document.querySelectorAll("[data-outline]").forEach(init);
})();
