/* The gate phone page (schools): what the user does waits in his outbox (shouwang/outbox.js) and
 * goes in order to POST /api/schools/phone/ (one item at a time, `type` naming the action). The
 * page is drawn from /schools/m/data.json (the service worker's copy offline) with what still
 * waits on the phone laid over it: a visitor registered offline is inside at once, and can leave. */
(function () {
  "use strict";
  var S = JSON.parse(document.getElementById("strings").textContent);
  var C = JSON.parse(document.getElementById("config").textContent);
  var RESULTS = JSON.parse(document.getElementById("results").textContent);
  var data = null;
  var schoolId = null;

  function $(id) { return document.getElementById(id); }
  function fmt(text, args) {
    return String(text).replace(/%\((\w+)\)s/g, function (_m, k) { return args && args[k] != null ? args[k] : ""; });
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "onclick") node.addEventListener("click", attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function say(text) { $("message").textContent = text; }
  function setNet(up) {
    var net = $("net");
    net.classList.toggle("off", !up);
    net.textContent = up ? S.online : S.offline;
  }
  function now() { var d = new Date(); return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2); }

  var box = Shouwang.outbox({name: "schools", user: C.user, url: C.submit, each: true, onReach: setNet,
                             onChange: function (q) { renderQueue(q); render(); refreshSoon(q); }});
  Shouwang.guardLogout(box, S.logoutWaiting);

  // --- what waits on the phone, by kind ------------------------------------------------------
  function queued(type) {
    return box.items().filter(function (x) { return x.type === type && x.state !== "refused"; });
  }
  function queuedData(type) { return queued(type).map(function (x) { return x.data; }); }

  var lastSynced = 0;
  function refreshSoon(q) {
    var synced = q.filter(function (x) { return x.state === "synced"; }).length;
    if (synced !== lastSynced) { lastSynced = synced; load(); }
  }

  // --- drawing ---------------------------------------------------------------------------------
  function school() {
    if (!data) return null;
    return data.schools.filter(function (s) { return s.id === schoolId; })[0] || data.schools[0] || null;
  }

  function renderGate() {
    var holder = $("windows");
    holder.textContent = "";
    var mine = {};
    queuedData("gate").forEach(function (d) { mine[d.window] = true; });
    (data.windows || []).forEach(function (w) {
      var roles = el("ul", {"class": "roles"}, w.roles.map(function (r) {
        var text = r.role + "：" + (r.by ? r.by + " " + fmt(S.confirmedAt, {time: r.at}) :
          (r.mine && mine[w.id] ? S.youHere + " " + S.waiting : S.notYet));
        return el("li", {"class": (r.by ? "done" : "") + (r.mine ? " mine" : ""), text: text});
      }));
      var done = w.roles.some(function (r) { return r.mine && r.by; }) || mine[w.id];
      // not yet (or no longer) confirmable: say from when, rather than a tap the server refuses
      var closed = !done && (now() < w.opens || now() > w.until);
      var text = done ? S.done : !closed ? S.atGate : (now() < w.opens ? fmt(S.opensAt, {time: w.opens}) : S.closed);
      var button = el("button", {type: "button", "class": "big " + (closed ? "secondary" : "ok"), "data-window": w.id,
                                 text: text, onclick: function () { atGate(w); }});
      if (done || closed) button.disabled = true;
      holder.appendChild(el("div", {"class": "window"}, [
        el("h3", {text: w.school + " · " + w.kind + " " + w.from + "–" + w.until}),
        el("p", {"class": "muted", text: fmt(S.yourPost, {posts: w.mine.join("、")})}), roles, button]));
    });
    $("gate").hidden = !(data.windows || []).length;
  }

  function renderConfirm() {
    var list = $("to-confirm");
    list.textContent = "";
    var done = {};
    queuedData("host_confirm").forEach(function (d) { done[d.visitor] = true; });
    var rows = (data.visitors_to_confirm || []).filter(function (v) { return !done[String(v.id)]; });
    rows.forEach(function (v) {
      list.appendChild(el("li", {}, [
        el("span", {"class": "who"}, [el("strong", {text: v.name}),
          el("small", {text: [v.organisation, v.purpose, fmt(S.hereSince, {time: v.since})].filter(Boolean).join(" · ")})]),
        el("button", {type: "button", "class": "small ok", "data-confirm": v.id, text: S.confirm,
                      onclick: function () { hostConfirm(v); }})]));
    });
    $("confirm-visitors").hidden = !rows.length;
  }

  function renderGuard() {
    var s = school();
    $("guard").hidden = !s;
    $("cameras-section").hidden = !s || !s.cameras.length;
    if (!s) return;
    var pick = $("school-pick");
    if (pick.options.length !== data.schools.length) {
      pick.textContent = "";
      data.schools.forEach(function (x) { pick.appendChild(el("option", {value: x.id, text: x.name})); });
    }
    pick.value = String(s.id);
    $("school-pick-row").hidden = data.schools.length < 2;
    var host = $("v-host");
    if (host.dataset.school !== String(s.id)) {
      host.textContent = "";
      s.hosts.forEach(function (p) { host.appendChild(el("option", {value: p.id, text: p.name + (p.title ? "（" + p.title + "）" : "")})); });
      host.dataset.school = String(s.id);
    }
    // visitors inside: the server's, those registered on this phone not yet there, minus those out
    var out = {};
    queuedData("visitor_out").forEach(function (d) { out[d.visitor] = true; });
    var inside = s.inside.slice();
    var known = {};
    inside.forEach(function (v) { known[v.client_uuid] = true; });
    queued("visitor_in").forEach(function (x) {
      if (x.data.school === s.id && !known[x.client_uuid]) {
        var hostName = (s.hosts.filter(function (p) { return String(p.id) === String(x.data.host); })[0] || {}).name || "";
        inside.push({id: null, client_uuid: x.client_uuid, name: x.data.name, organisation: x.data.organisation,
                     host: hostName, badge: x.data.badge, since: x.since || "", pending: x.state === "waiting"});
      }
    });
    inside = inside.filter(function (v) { return !out[String(v.id)] && !out[v.client_uuid]; });
    var list = $("inside");
    list.textContent = "";
    inside.forEach(function (v) {
      var meta = [v.organisation, v.host, v.badge, fmt(S.hereSince, {time: v.since})].filter(Boolean).join(" · ");
      list.appendChild(el("li", {"class": v.pending ? "pending" : ""}, [
        el("span", {"class": "who"}, [el("strong", {text: v.name}), el("small", {text: meta}),
          v.flagged ? el("small", {"class": "flag", text: " " + S.flagged}) : null]),
        el("button", {type: "button", "class": "small warn", "data-out": v.client_uuid, text: S.out,
                      onclick: function () { visitorOut(v); }})]));
    });
    if (!inside.length) list.appendChild(el("li", {"class": "muted", text: S.noneInside}));
    $("inside-count").textContent = inside.length;
    // vehicles inside
    var vout = {};
    queuedData("vehicle_out").forEach(function (d) { vout[d.vehicle] = true; });
    var vehicles = s.vehicles.slice();
    var vknown = {};
    vehicles.forEach(function (v) { vknown[v.client_uuid] = true; });
    queued("vehicle").forEach(function (x) {
      if (x.data.school === s.id && !vknown[x.client_uuid] && x.data.kind !== "unregistered") {
        vehicles.push({id: null, client_uuid: x.client_uuid, plate: x.data.plate, since: x.since || ""});
      }
    });
    vehicles = vehicles.filter(function (v) { return !vout[String(v.id)] && !vout[v.client_uuid]; });
    var vlist = $("vehicles");
    vlist.textContent = "";
    vehicles.forEach(function (v) {
      vlist.appendChild(el("li", {}, [el("span", {"class": "who"}, [el("strong", {text: v.plate}),
        el("small", {text: fmt(S.hereSince, {time: v.since})})]),
        el("button", {type: "button", "class": "small warn", text: S.out, onclick: function () { vehicleOut(v); }})]));
    });
    // cameras
    var checkedHere = {};
    queuedData("camera").forEach(function (d) { checkedHere[d.camera] = d.result; });
    var cams = $("cameras");
    cams.textContent = "";
    s.cameras.forEach(function (c) {
      var local = checkedHere[c.id];
      var label = c.checked || (local ? RESULTS.filter(function (r) { return r[0] === local; })[0][1] : "");
      var buttons = RESULTS.map(function (r, i) {
        var b = el("button", {type: "button", "class": ["ok", "warn", "bad"][i], "data-camera": c.id, "data-result": r[0],
                              text: r[1], onclick: function () { checkCamera(c, r); }});
        if (label) b.disabled = true;
        return b;
      });
      cams.appendChild(el("div", {"class": "camera-row"}, [
        el("strong", {text: c.name + " · " + c.spot}),
        label ? el("p", {"class": "muted", text: fmt(S.checked, {result: label})}) : null,
        el("div", {"class": "row"}, buttons)]));
    });
  }

  function renderClasses() {
    var done = {};
    queuedData("handover").forEach(function (d) { done[d.pupil_class] = true; });
    var list = $("classes");
    list.textContent = "";
    (data.classes || []).forEach(function (c) {
      var finished = c.done || done[c.id];
      var b = el("button", {type: "button", "class": "small ok", "data-class": c.id, text: finished ? S.done : S.confirm,
                            onclick: function () { handover(c); }});
      if (finished) b.disabled = true;
      list.appendChild(el("li", {}, [el("span", {"class": "who"}, [el("strong", {text: c.name}),
        el("small", {text: c.school})]), b]));
    });
    $("classes-section").hidden = !(data.classes || []).length;
  }

  function render() {
    if (!data) return;
    $("who").textContent = data.person;
    renderGate();
    renderConfirm();
    renderGuard();
    renderClasses();
    $("nothing").hidden = !($("gate").hidden && $("confirm-visitors").hidden && $("guard").hidden && $("classes-section").hidden);
  }

  function renderQueue(q) {
    var list = $("queue");
    list.textContent = "";
    q.slice().reverse().forEach(function (x) {
      var state = x.state === "waiting" ? S.waiting + (x.tries ? " · " + S.retry : "") :
        x.state === "synced" ? S.synced : S.refused;
      var li = el("li", {"class": x.state}, [el("strong", {text: x.label}), el("span", {"class": "state-text", text: state})]);
      if (x.state === "refused") {
        li.appendChild(el("span", {"class": "reason", text: x.reason || ""}));
        li.appendChild(el("button", {type: "button", "class": "secondary", text: S.remove, onclick: function () {
          if (window.confirm(S.confirmRemove)) box.remove(x.client_uuid);
        }}));
      }
      list.appendChild(li);
    });
    $("queue-count").textContent = box.waiting();
  }

  // --- actions ---------------------------------------------------------------------------------
  function send(type, label, body) {
    body.type = type;
    return box.add(type, label, body).then(function (id) {
      var item = box.items().filter(function (x) { return x.client_uuid === id; })[0];
      if (item && !item.since) {  // when it happened, for the lists drawn before the server answers
        var q = box.items().map(function (x) { if (x.client_uuid === id) x.since = now(); return x; });
        localStorage.setItem(box.key, JSON.stringify(q));
      }
      say(item && item.state === "synced" ? S.sentNow : item && item.state === "refused" ? (item.reason || S.refused) : S.queued);
      render();
      return id;
    });
  }

  function field(id) { return $(id).value.trim(); }

  $("open-visitor").addEventListener("click", function () {
    $("vehicle-form").hidden = true;
    $("visitor-form").hidden = false;
    $("v-name").focus();
  });
  $("open-vehicle").addEventListener("click", function () {
    $("visitor-form").hidden = true;
    $("vehicle-form").hidden = false;
    $("c-plate").focus();
  });
  document.querySelectorAll("[data-close]").forEach(function (b) {
    b.addEventListener("click", function () { $(b.dataset.close).hidden = true; });
  });
  document.querySelectorAll("#purposes [data-purpose]").forEach(function (b) {
    b.addEventListener("click", function () { $("v-purpose").value = b.dataset.purpose; });
  });
  $("school-pick").addEventListener("change", function () { schoolId = Number(this.value); render(); });
  $("c-kind").addEventListener("change", function () {
    var refuse = this.value === "unregistered";
    $("c-refuse-note").hidden = !refuse;
    $("vehicle-submit").classList.toggle("bad", refuse);
  });

  $("visitor-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var missing = [];
    [["v-name", "name"], ["v-phone", "phone"], ["v-purpose", "purpose"], ["v-host", "host"], ["v-last4", "id_last4"]]
      .forEach(function (f) { if (!field(f[0])) missing.push($(f[0]).labels[0].textContent); });
    if (missing.length) { $("visitor-error").textContent = fmt(S.required, {fields: missing.join("、")}); return; }
    if (!/^[0-9A-Za-z]{4}$/.test(field("v-last4"))) { $("visitor-error").textContent = S.last4; return; }
    $("visitor-error").textContent = "";
    var s = school();
    var body = {school: s.id, name: field("v-name"), phone: field("v-phone"), organisation: field("v-organisation"),
                purpose: field("v-purpose"), host: Number(field("v-host")), id_type: field("v-idtype"),
                id_last4: field("v-last4"), badge: field("v-badge")};
    this.reset();
    this.hidden = true;
    send("visitor_in", fmt(S.visitorIn, {name: body.name}), body);
  });

  $("vehicle-form").addEventListener("submit", function (e) {
    e.preventDefault();
    if (!field("c-plate")) { $("vehicle-error").textContent = fmt(S.required, {fields: $("c-plate").labels[0].textContent}); return; }
    $("vehicle-error").textContent = "";
    var body = {school: school().id, plate: field("c-plate"), kind: field("c-kind"), driver: field("c-driver"),
                purpose: field("c-purpose")};
    this.reset();
    this.hidden = true;
    $("c-refuse-note").hidden = true;
    send("vehicle", fmt(S.vehicle, {plate: body.plate}), body);
  });

  function visitorOut(v) {
    send("visitor_out", fmt(S.visitorOut, {name: v.name}), {visitor: v.id ? String(v.id) : v.client_uuid});
  }
  function vehicleOut(v) {
    send("vehicle_out", fmt(S.vehicleOut, {plate: v.plate}), {vehicle: v.id ? String(v.id) : v.client_uuid});
  }
  function hostConfirm(v) {
    send("host_confirm", fmt(S.hostConfirm, {name: v.name}), {visitor: String(v.id)});
  }
  function handover(c) {
    send("handover", fmt(S.handover, {"class": c.name}), {pupil_class: c.id});
  }
  function checkCamera(c, r) {
    send("camera", fmt(S.camera, {camera: c.name, result: r[1]}), {camera: c.id, result: r[0]});
  }
  function atGate(w) {
    var label = fmt(S.gate, {window: w.school + " " + w.kind});
    var body = {window: w.id};
    var sent = false;
    function go() { if (!sent) { sent = true; send("gate", label, body); } }
    if (!navigator.geolocation) { go(); return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      body.lat = p.coords.latitude; body.lon = p.coords.longitude; go();
    }, function () { say(S.noPosition); go(); }, {timeout: 4000, maximumAge: 60000});
    setTimeout(go, 5000);
  }

  // --- data and sync ---------------------------------------------------------------------------
  function load() {
    return fetch(C.data, {credentials: "same-origin", headers: {"Accept-Language": document.documentElement.lang}})
      .then(box.answered, box.unreachable)
      .then(function (r) {
        if (r.headers.get("X-Shouwang-Offline")) say(S.dataOffline);
        if (!r.ok || r.redirected) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (d) { data = d; if (schoolId === null && d.schools.length) schoolId = d.schools[0].id; render(); })
      .catch(function () { render(); });
  }

  $("sync").addEventListener("click", function () { box.sync(); });
  window.addEventListener("online", function () { box.sync(); });
  setInterval(function () { if (box.waiting()) box.sync(); }, 15000);
  setInterval(render, 30000);  // a window's tap opens on time, with or without the network
  window.shouwangGate = {sync: box.sync, items: box.items, reload: load};

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(C.sw, {scope: C.scope}).catch(function () {});
    // The first visit's data came before the worker was there to keep a copy: once it takes the
    // page, read the day again through it, so the phone has the day's data if the network goes.
    navigator.serviceWorker.addEventListener("controllerchange", function () { load(); });
  }
  renderQueue(box.items());
  load().then(function () { box.sync(); });
})();
