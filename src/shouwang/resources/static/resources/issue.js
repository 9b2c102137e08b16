/* The issue form: once an item is chosen, the proposed lots, the expired ones and the lot choices
 * show that item's only (the page lists every item's lots before). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var item = document.getElementById("id_item"), lot = document.getElementById("id_lot");
    if (!item) return;
    var owner = {};
    document.querySelectorAll(".proposal [data-lot], .proposal [data-expired-lot]").forEach(function (el) {
      owner[el.dataset.lot || el.dataset.expiredLot] = el.dataset.item;
    });
    function show() {
      var chosen = item.value;
      document.querySelectorAll(".proposal [data-item]").forEach(function (el) {
        el.hidden = !!chosen && el.dataset.item !== chosen;
      });
      if (!lot) return;
      Array.prototype.forEach.call(lot.options, function (o) {
        var mine = !o.value || !chosen || owner[o.value] === undefined || owner[o.value] === chosen;
        o.hidden = !mine;
        o.disabled = !mine;
        if (!mine && o.selected) lot.value = "";
      });
    }
    item.addEventListener("change", show);
    show();
  });
})();
