/* Live countdowns on every [data-due]: "left 27min 45s" / "overdue 1h 05min", in the format the
 * server wrote (the `countdown` filter), ticking every second and after each HTMX swap. */
(function () {
  function pad(n) { return String(n).padStart(2, "0"); }
  function format(el, sec) {
    var s = Math.abs(sec), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var f = h ? el.dataset.long : el.dataset.short;
    return f.replace("%(h)s", h).replace("%(m)02d", pad(m)).replace("%(m)s", m).replace("%(s)02d", pad(r));
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var sec = Math.round((Date.parse(el.dataset.due) - now) / 1000);
      el.classList.toggle("overdue", sec < 0);
      el.textContent = (sec < 0 ? el.dataset.overdueLabel : el.dataset.leftLabel) + " " + format(el, sec);
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);
})();
