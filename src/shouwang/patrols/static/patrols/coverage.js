/* Patrol coverage on the shared map: checkpoints by coverage, must-visit points missed. */
(function () {
  var places = JSON.parse(document.getElementById("markers").textContent);
  var missed = JSON.parse(document.getElementById("missed-points").textContent);
  var nodes = JSON.parse(document.getElementById("coverage-nodes").textContent);
  var map = Shouwang.map("map");
  var nodeLayer = Shouwang.drawNodes(map, nodes);
  var points = [];
  places.forEach(function (p) {
    Shouwang.tip(L.circleMarker([p.lat, p.lon], {radius: 8, color: p.gap ? "#c62828" : "#1565c0", fillOpacity: .7}),
      p.name + " (" + p.routes + ")").addTo(map);
    points.push([p.lat, p.lon]);
  });
  missed.forEach(function (p) {
    Shouwang.tip(L.circleMarker([p.lat, p.lon], {radius: 6, color: "#ef6c00", fillOpacity: .9}), p.name + " ×" + p.missed).addTo(map);
    points.push([p.lat, p.lon]);
  });
  Shouwang.fit(map, [nodeLayer].concat(points));
})();
