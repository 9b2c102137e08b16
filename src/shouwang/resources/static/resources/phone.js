/* Shouwang call-out phone page: the call-outs this member is called by, acknowledged with one tap.
 * The tap waits in the member's outbox (client UUID, the phone's time) until the server takes it;
 * offline the page shows the phone's copy of the call-outs and the queued acknowledgement. */
(function () {
  "use strict";
  var T = JSON.parse(document.getElementById("strings").textContent);
  var C = JSON.parse(document.getElementById("config").textContent);
  var DKEY = "shouwang.resources.data." + C.user;
  var $ = function (id) { return document.getElementById(id); };
  var data = null, reachable = null;

  var box = Shouwang.outbox({name: "resources", user: C.user, url: C.submit, each: true, onChange: render, onReach: heard,
                             body: function (items) { return items.map(function (x) { return x.data; }); }});

  function fmt(text, args) {
    return text.replace(/%\((\w+)\)s/g, function (_m, k) { return args[k] === undefined ? "" : args[k]; });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function hhmm(iso) {
    if (!iso) return "";
    var m = String(iso).match(/T(\d{2}:\d{2})/);
    return m ? m[1] : iso;
  }
  function say(text) { $("message").textContent = text || ""; }
  function setNet() {
    var on = reachable === null ? navigator.onLine : reachable;
    $("net").textContent = on ? T.online : T.offline;
    $("net").className = "net" + (on ? "" : " off");
  }
  function heard(ok) { reachable = ok; setNet(); }

  function queued(id) {
    return box.items().filter(function (x) { return x.data.callout === id; })[0];
  }

  function render() {
    var list = $("callouts");
    list.innerHTML = "";
    var items = box.items();
    if (data) {
      if (!data.callouts.length) list.appendChild(el("li", "muted", T.nothing));
      data.callouts.forEach(function (c) {
        var li = el("li", "callout" + (c.open ? "" : " closed"));
        li.dataset.callout = c.id;
        li.appendChild(el("h3", "", c.team + " · " + c.kind));
        li.appendChild(el("p", "", c.message));
        li.appendChild(el("p", "where", T.assemble + "：" + c.assembly));
        li.appendChild(el("p", "muted", fmt(T.sent, {time: hhmm(c.sent_at)}) + (c.open ? "" : " · " + T.closed)));
        var q = queued(c.id);
        if (c.acknowledged_at || (q && q.state === "synced")) {
          var at = c.acknowledged_at || (q.record && q.record.acknowledged_at);
          li.appendChild(el("p", "done state-met", fmt(T.acked, {time: hhmm(at)})));
        } else if (q && q.state === "waiting") {
          li.appendChild(el("p", "done state-due_soon", T.queued));
        } else if (q && q.state === "refused") {
          li.appendChild(el("p", "reason", T.refused + "：" + (q.reason || "")));
        } else if (c.open) {
          var b = el("button", "big", T.ack);
          b.type = "button";
          b.dataset.ack = c.id;
          b.onclick = function () { acknowledge(c); };
          li.appendChild(b);
        }
        if (c.arrived_at) li.appendChild(el("p", "done state-met", fmt(T.arrived, {time: hhmm(c.arrived_at)})));
        list.appendChild(li);
      });
    }
    var qlist = $("queue");
    qlist.innerHTML = "";
    var waiting = 0;
    items.forEach(function (x) {
      if (x.state === "waiting") waiting += 1;
      var li = el("li", "", x.label);
      li.appendChild(el("span", "state " + x.state, T[x.state] || x.state));
      if (x.reason) li.appendChild(el("div", "reason", x.reason));
      qlist.appendChild(li);
    });
    $("queue-count").textContent = waiting;
    // the note "saved on this phone" holds only while something waits: once sent, say so
    if (!waiting && $("message").textContent === T.queued) say(T.sentNow);
  }

  function acknowledge(c) {
    if (queued(c.id)) return;
    box.add("ack", c.team + " · " + hhmm(c.sent_at), {callout: c.id}).then(function () {
      var q = queued(c.id);
      say(q && q.state === "synced" ? T.sentNow : q && q.state === "waiting" ? T.queued : "");
      if (q && q.state === "synced") loadData();
    });
    render();
  }

  function show(d, offline) {
    data = d;
    $("data-note").textContent = offline ? T.dataOffline : "";
    render();
  }
  function loadData() {
    return fetch(C.data, {credentials: "same-origin"}).then(box.answered, box.unreachable).then(function (r) {
      if (!r.ok || r.redirected) throw new Error("no data");
      var offline = !!r.headers.get("X-Shouwang-Offline");
      return r.json().then(function (d) { return [d, offline]; });
    }).then(function (res) {
      try { localStorage.setItem(DKEY, JSON.stringify(res[0])); } catch (e) { /* full */ }
      show(res[0], res[1]);
    }).catch(function () { var d = localStorage.getItem(DKEY); if (d) show(JSON.parse(d), true); });
  }

  $("sync").onclick = function () { box.sync().then(loadData); };
  window.addEventListener("online", function () { box.sync(); });
  window.addEventListener("offline", function () { heard(false); });
  setInterval(function () {
    if (box.waiting()) box.sync().then(function () { if (!box.waiting()) loadData(); });
    else loadData();
  }, 15000);
  Shouwang.guardLogout(box, T.logoutWaiting);
  setNet();
  render();
  loadData();
  box.sync();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(C.sw, {scope: C.scope}).catch(function () {});
  }
  window.shouwangCallout = {sync: box.sync, queue: box.items, reload: loadData};
})();
