/* Intake: a tap on the map, or the choice of a key place, fills the position (hidden lat/lon). */
(function () {
  var el = document.getElementById("intake-map");
  if (!el || !window.L) return;
  var places = JSON.parse(document.getElementById(el.dataset.places).textContent);
  var lat = document.getElementById("id_lat"), lon = document.getElementById("id_lon");
  var select = document.getElementById("id_key_place"), note = document.getElementById("intake-position");
  var m = Shouwang.map(el), pin = null;
  var byId = {};
  var markers = places.map(function (p) {
    byId[p.id] = p;
    return Shouwang.tip(L.circleMarker([p.lat, p.lon], {radius: 5, weight: 1}), p.name).addTo(m)
      .on("click", function (e) { L.DomEvent.stopPropagation(e); if (select) select.value = String(p.id); put(p.lat, p.lon, p.name); });
  });
  function put(y, x, label) {
    lat.value = y.toFixed(6); lon.value = x.toFixed(6);
    if (pin) pin.setLatLng([y, x]); else pin = L.marker([y, x]).addTo(m);
    note.textContent = (label ? label + " · " : "") + y.toFixed(5) + ", " + x.toFixed(5);
  }
  m.on("click", function (e) { put(e.latlng.lat, e.latlng.lng); });
  if (select) select.addEventListener("change", function () {
    var p = byId[select.value]; if (p) { put(p.lat, p.lon, p.name); m.setView([p.lat, p.lon], Math.max(m.getZoom(), 16)); }
  });
  if (lat.value && lon.value) put(parseFloat(lat.value), parseFloat(lon.value));
  Shouwang.fit(m, markers.length ? markers : []);
})();
