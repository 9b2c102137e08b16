/* The points on a map (shouwang/map.js): green available, red check failed, blue open now. */
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("points-map"), data = document.getElementById("point-markers");
    if (!el || !data || typeof L === "undefined") return;
    var points = JSON.parse(data.textContent);
    var map = Shouwang.map(el), layer = L.featureGroup().addTo(map);
    points.forEach(function (p) {
      var colour = p.open ? "#2e86de" : p.available ? "#27ae60" : "#c0392b";
      var marker = L.circleMarker([p.lat, p.lon], {radius: 9, color: "#222", weight: 1, fillColor: colour, fillOpacity: .9});
      var text = p.name + " · " + p.kind + (p.open ? " · " + p.occupancy + "/" + p.capacity : " · " + p.capacity);
      Shouwang.tip(marker, text);
      marker.on("dblclick", function () { window.location = p.url; });
      marker.addTo(layer);
    });
    Shouwang.fit(map, points.length ? [layer] : []);
  });
})();
