/* Desk alerts on the live board. When a poll brings an incident or a draft the desk has not
 * seen, the browser notifies (permission asked once, from the button, never on load), beeps
 * and counts it in the tab title, so an operator working in another window still hears it.
 * The choice is kept per browser (localStorage). Without notification rights (plain http on
 * an office network) the sound and the title still alert. */
(function () {
  var KEY = "shouwang.boardAlerts";
  var seen = {}, audio = null, unseen = 0, baseTitle = document.title;

  function isOn() { try { return localStorage.getItem(KEY) === "on"; } catch (e) { return false; } }
  function setOn(on) { try { localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* private mode */ } }
  function canNotify() { return "Notification" in window; }

  function current() {
    var found = {};
    document.querySelectorAll("#board-list [data-incident], #board-list [data-draft]").forEach(function (el) {
      var key = el.dataset.draft ? "d" + el.dataset.draft : "i" + el.dataset.incident;
      found[key] = el;
    });
    return found;
  }

  function ensureAudio() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!audio && Ctx) audio = new Ctx();
    if (audio && audio.state === "suspended") audio.resume();
    return audio;
  }

  function beep() {
    var ctx = ensureAudio();
    if (!ctx) return;
    [0, 0.25].forEach(function (offset) {
      var osc = ctx.createOscillator(), gain = ctx.createGain(), t = ctx.currentTime + offset;
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, t);
      gain.gain.exponentialRampToValueAtTime(0.001, t + 0.2);
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start(t);
      osc.stop(t + 0.2);
    });
  }

  function notify(button, el, isDraft) {
    if (!canNotify() || Notification.permission !== "granted") return;
    var link = el.querySelector("a");
    var n = new Notification(isDraft ? button.dataset.newDraft : button.dataset.newIncident,
                             {body: el.dataset.label, tag: (isDraft ? "d" : "i") + (el.dataset.draft || el.dataset.incident)});
    n.onclick = function () { window.focus(); if (link) location.href = link.href; };
  }

  function render(button, note) {
    var on = isOn();
    button.textContent = on ? button.dataset.on : button.dataset.off;
    button.setAttribute("aria-pressed", on ? "true" : "false");
    note.textContent = on && (!canNotify() || Notification.permission === "denied") ? button.dataset.denied : "";
  }

  function arrived(button) {
    var now = current(), fresh = [];
    Object.keys(now).forEach(function (key) {
      // a draft confirmed on this desk comes back as an incident: not news
      if (!seen[key] && !(key[0] === "i" && seen["d" + key.slice(1)])) fresh.push(key);
      seen[key] = true;
    });
    fresh.forEach(function (key) { now[key].classList.add("is-new"); });
    if (!fresh.length || !isOn()) return;
    fresh.slice(0, 3).forEach(function (key) { notify(button, now[key], key[0] === "d"); });
    beep();
    if (document.hidden || !document.hasFocus()) {
      unseen += fresh.length;
      document.title = "(" + unseen + ") " + baseTitle;
    }
  }

  function seenAgain() { unseen = 0; document.title = baseTitle; }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("board-alerts"), note = document.getElementById("board-alerts-note");
    if (!button) return;
    Object.keys(current()).forEach(function (key) { seen[key] = true; });
    button.hidden = false;
    render(button, note);
    button.addEventListener("click", function () {
      if (isOn()) { setOn(false); render(button, note); return; }
      setOn(true);
      ensureAudio();  // created inside the click, so the browser lets it sound later
      if (canNotify() && Notification.permission === "default") {
        Promise.resolve(Notification.requestPermission()).then(function () { render(button, note); });
      }
      render(button, note);
    });
    // after a reload the browser keeps audio suspended until the first touch of the page
    document.addEventListener("pointerdown", function () { if (isOn()) ensureAudio(); }, {once: true});
    document.addEventListener("htmx:afterSwap", function (e) { if (e.target.id === "board-list") arrived(button); });
    window.addEventListener("focus", seenAgain);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) seenAgain(); });
  });
})();
