/* Key places on the shared map (shouwang/map.js): coloured by today's risk, shaped by kind. */
(function () {
  var COLOURS = {red: "#c0392b", orange: "#e67e22", blue: "#2e86de", green: "#27ae60"};
  var SHAPES = {unit: "●", site: "■", area: "▲"};
  var places = JSON.parse(document.getElementById("places-data").textContent);
  var nodes = JSON.parse(document.getElementById("boundaries-data").textContent);
  var map = Shouwang.map("map");
  var nodeLayer = Shouwang.drawNodes(map, nodes);
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
      Shouwang.tip(layer, p.name);  // hover on a desk; a tap opens the popup
    }
  }).addTo(map);
  Shouwang.fit(map, [nodeLayer, placeLayer]);
})();
