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
    map = Shouwang.map(el);
    var nodeLayer = Shouwang.drawNodes(map, JSON.parse(document.getElementById("board-nodes").textContent));
    layer = L.layerGroup().addTo(map);
    Shouwang.fit(map, [nodeLayer].concat(drawIncidents()));
  });
  document.addEventListener("htmx:afterSwap", drawIncidents);
})();
