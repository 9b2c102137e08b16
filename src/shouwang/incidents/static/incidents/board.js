/* Live board: the map markers of the incident rows (countdowns: shouwang/countdown.js). */
(function () {
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
    // open evacuation and diversion points (resources): squares in the points' colour
    document.querySelectorAll("[data-point]").forEach(function (row) {
      var lat = parseFloat(row.dataset.lat), lon = parseFloat(row.dataset.lon);
      if (isNaN(lat) || isNaN(lon)) return;
      L.marker([lat, lon], {icon: L.divIcon({className: "board-point", iconSize: [16, 16]})})
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
