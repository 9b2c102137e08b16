/* The inbox badge keeps itself current: every minute, and when the tab comes back into view. */
(function () {
  var badge = document.getElementById("unread-count");
  if (!badge || !badge.dataset.url) return;
  function refresh() {
    if (document.hidden) return;
    fetch(badge.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { badge.textContent = data.unread; badge.hidden = !data.unread; } })
      .catch(function () {});
  }
  setInterval(refresh, 60000);
  document.addEventListener("visibilitychange", refresh);
})();
