/* Live board: countdowns on every [data-due] and the map markers of the incident rows. */
(function () {
  function fmt(sec) {
    var s = Math.abs(sec), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(r).padStart(2, "0");
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var sec = Math.round((Date.parse(el.dataset.due) - now) / 1000);
      el.classList.toggle("overdue", sec < 0);
      el.textContent = (sec < 0 ? el.dataset.overdueLabel + " " : el.dataset.leftLabel + " ") + fmt(sec);
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);

  var map = null, layer = null;
  function drawIncidents() {
    if (!map) return;
    layer.clearLayers();
    var bounds = [];
    document.querySelectorAll("[data-incident]").forEach(function (row) {
      var lat = parseFloat(row.dataset.lat), lon = parseFloat(row.dataset.lon);
      if (isNaN(lat) || isNaN(lon)) return;
      L.circleMarker([lat, lon], {radius: 10, color: "#222", weight: 1, fillColor: row.dataset.colour, fillOpacity: 0.9})
        .bindTooltip(row.dataset.label).addTo(layer);
      bounds.push([lat, lon]);
    });
    return bounds;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("board-map");
    if (!el || typeof L === "undefined") return;
    map = L.map(el, {attributionControl: false});  // no tiles: works offline
    var nodes = JSON.parse(document.getElementById("board-nodes").textContent), pts = [];
    nodes.forEach(function (n) {
      if (n.boundary) { var g = L.geoJSON(n.boundary, {style: {color: "#12355b", weight: 1, fillOpacity: 0.05}}).addTo(map); pts.push(g.getBounds().getCenter()); }
      if (n.lat != null) { L.circleMarker([n.lat, n.lon], {radius: 4, color: "#12355b"}).bindTooltip(n.name).addTo(map); pts.push([n.lat, n.lon]); }
    });
    layer = L.layerGroup().addTo(map);
    pts = pts.concat(drawIncidents());
    if (pts.length) map.fitBounds(L.latLngBounds(pts).pad(0.2)); else map.setView([31.23, 121.47], 13);
  });
  document.addEventListener("htmx:afterSwap", drawIncidents);
})();
