/* Key places on a blank Leaflet map (no tiles: works offline). */
(function () {
  var COLOURS = {red: "#c0392b", orange: "#e67e22", blue: "#2e86de", green: "#27ae60"};
  var SHAPES = {unit: "●", site: "■", area: "▲"};
  var places = JSON.parse(document.getElementById("places-data").textContent);
  var nodes = JSON.parse(document.getElementById("boundaries-data").textContent);
  var map = L.map("map", {zoomSnap: 0.25, attributionControl: false});
  var bounds = L.latLngBounds([]);
  var nodeLayer = L.geoJSON(nodes, {
    style: function (f) {
      return f.geometry.type === "Point" ? {color: "#8c8f94", weight: 1, fillOpacity: 0.4}
        : {color: "#8c8f94", weight: 1, dashArray: "4 3", fillOpacity: 0.03};
    },
    pointToLayer: function (f, latlng) {
      return L.circleMarker(latlng, {radius: 3, color: "#8c8f94", weight: 1, fillOpacity: 0.4});
    },
    onEachFeature: function (f, layer) { layer.bindTooltip(f.properties.name); }
  }).addTo(map);
  var placeLayer = L.geoJSON(places, {
    style: function (f) {
      var c = COLOURS[f.properties.colour] || "#646970";
      return {color: c, weight: 2, fillColor: c, fillOpacity: 0.25};
    },
    pointToLayer: function (f, latlng) {
      var c = COLOURS[f.properties.colour] || "#646970";
      var html = '<span class="pin pin-' + f.properties.kind + '" style="color:' + c + '">' + (SHAPES[f.properties.kind] || "●") + "</span>";
      return L.marker(latlng, {icon: L.divIcon({className: "place-icon", html: html, iconSize: [18, 18]}), title: f.properties.name});
    },
    onEachFeature: function (f, layer) {
      var p = f.properties;
      var el = document.createElement("div");
      var a = document.createElement("a");
      a.href = p.url; a.textContent = p.name;
      el.appendChild(a);
      el.appendChild(document.createElement("br"));
      el.appendChild(document.createTextNode(p.kind_label + " · " + p.category_label + " · " + (p.colour_label || "—")));
      layer.bindPopup(el);
      layer.bindTooltip(p.name);
    }
  }).addTo(map);
  [nodeLayer, placeLayer].forEach(function (layer) {
    var b = layer.getBounds();
    if (b.isValid()) { bounds.extend(b); }
  });
  if (bounds.isValid()) { map.fitBounds(bounds.pad(0.1)); } else { map.setView([31.23, 121.478], 14); }
  document.getElementById("map").dataset.ready = "1";
})();
