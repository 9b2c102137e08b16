/* Shouwang patrol phone page: actions queue on the device (localStorage) and sync when online.
 * Every action carries a client UUID, so sending it again never duplicates. An item the
 * server refused stays in the queue with the reason until the member removes it. */
(function () {
  "use strict";
  var T = JSON.parse(document.getElementById("strings").textContent);
  var C = JSON.parse(document.getElementById("config").textContent);
  var QKEY = "shouwang.patrols.queue";
  var DKEY = "shouwang.patrols.data";
  var $ = function (id) { return document.getElementById(id); };
  var syncing = false;
  // Whether the server answered our last request: what the badge shows. The browser's
  // navigator.onLine says only that some network is up, not that the server is reachable.
  var reachable = null;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function load() { try { return JSON.parse(localStorage.getItem(QKEY)) || []; } catch (e) { return []; } }
  function save(q) { localStorage.setItem(QKEY, JSON.stringify(q)); render(); }
  function say(text) { $("message").textContent = text; }
  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }

  function render() {
    var q = load();
    var list = $("queue");
    list.innerHTML = "";
    var waiting = 0;
    q.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "item " + item.state;
      li.dataset.uuid = item.client_uuid;
      var label = (item.type === "checkin" ? T.checkin : T.sighting) + " · " + item.label + " · ";
      li.appendChild(document.createTextNode(label));
      var st = document.createElement("b");
      st.className = "state-text";
      st.textContent = (item.state === "waiting" && item.tries) ? T.retry : (T[item.state] || item.state);
      li.appendChild(st);
      if (item.state === "waiting") waiting++;
      if (item.state === "refused") {
        var r = document.createElement("span");
        r.className = "reason";
        r.textContent = item.reason;
        li.appendChild(r);
        var rm = document.createElement("button");
        rm.type = "button"; rm.className = "secondary"; rm.textContent = T.remove;
        rm.onclick = function () { save(load().filter(function (x) { return x.client_uuid !== item.client_uuid; })); };
        li.appendChild(rm);
      }
      list.appendChild(li);
    });
    $("queue-count").textContent = waiting;
    if (!q.length) { var e = document.createElement("li"); e.className = "muted"; e.textContent = T.nothing; list.appendChild(e); }
  }

  function setNet() {
    var on = reachable === null ? navigator.onLine : reachable;
    $("net").textContent = on ? T.online : T.offline;
    $("net").className = "net" + (on ? "" : " off");
  }
  function heard(ok) { reachable = ok; setNet(); }
  // The service worker's cached copy, or a 502/503/504, is not the server answering.
  function answered(resp) {
    var away = resp.headers.get("X-Shouwang-Offline") || resp.status === 502 || resp.status === 503 || resp.status === 504;
    heard(!away);
    return resp;
  }

  function reasonOf(errors) {
    var parts = [];
    Object.keys(errors || {}).forEach(function (k) { parts = parts.concat(errors[k]); });
    return parts.join(" ");
  }

  function sync() {
    if (syncing) return Promise.resolve();
    var q = load();
    var pending = q.filter(function (x) { return x.state === "waiting"; });
    if (!pending.length) return Promise.resolve();
    syncing = true;
    var body = {device_now: new Date().toISOString(), items: pending.map(function (x) {
      return {type: x.type, client_uuid: x.client_uuid, data: x.data};
    })};
    return fetch(C.sync, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken"), "Accept-Language": document.documentElement.lang},
      body: JSON.stringify(body)
    }).then(answered, function (err) { heard(false); throw err; }).then(function (resp) {
      if (!resp.ok) throw new Error("HTTP " + resp.status);
      return resp.json();
    }).then(function (data) {
      var byId = {};
      data.results.forEach(function (r) { byId[r.client_uuid] = r; });
      var now = load().map(function (x) {
        var r = byId[x.client_uuid];
        if (!r || x.state !== "waiting") return x;
        if (r.status === "refused") { x.state = "refused"; x.reason = reasonOf(r.errors); }
        else { x.state = "synced"; x.synced_at = Date.now(); }
        return x;
      });
      // Synced items are shown for a while, then dropped; refused ones stay.
      now = now.filter(function (x) { return x.state !== "synced" || Date.now() - x.synced_at < 10 * 60 * 1000; });
      save(now);
    }).catch(function () {
      // Offline or the server is away: keep the queue and say it was tried.
      save(load().map(function (x) { if (x.state === "waiting") x.tries = (x.tries || 0) + 1; return x; }));
    }).then(function () { syncing = false; });
  }

  function enqueue(type, label, data) {
    var id = uuid();
    data.client_uuid = id;
    data.device_time = new Date().toISOString();
    var q = load();
    q.push({type: type, client_uuid: id, label: label, data: data, state: "waiting"});
    save(q);
    say(T.queued);
    return sync();
  }

  function position() {
    return new Promise(function (resolve) {
      if (!navigator.geolocation) return resolve(null);
      navigator.geolocation.getCurrentPosition(function (p) {
        resolve({lat: p.coords.latitude, lon: p.coords.longitude, accuracy: p.coords.accuracy});
      }, function () { resolve(null); }, {enableHighAccuracy: true, timeout: 4000, maximumAge: 30000});
    });
  }

  function pointLabel(id) {
    var opt = $("point").querySelector("option[value='" + id + "']");
    return opt ? opt.textContent : "#" + id;
  }

  function checkInWithToken(token) {
    token = (token || "").trim();
    if (!token) { say(T.pickPoint); return; }
    var id = token.split(".")[0];
    return position().then(function (pos) {
      var data = {method: "qr", token: token};
      if (pos) { data.lat = pos.lat; data.lon = pos.lon; data.accuracy = pos.accuracy; }
      $("token").value = "";
      return enqueue("checkin", pointLabel(id), data);
    });
  }

  function checkInByGps() {
    var id = $("point").value;
    if (!id) { say(T.pickPoint); return; }
    return position().then(function (pos) {
      var data = {method: "gps", checkpoint: Number(id)};
      if (pos) { data.lat = pos.lat; data.lon = pos.lon; data.accuracy = pos.accuracy; }
      return enqueue("checkin", pointLabel(id), data);
    });
  }

  function scan() {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { say(T.noCamera); $("token").focus(); return; }
    var detector = new window.BarcodeDetector({formats: ["qr_code"]});
    var video = $("video");
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (stream) {
      video.srcObject = stream; video.hidden = false; video.play();
      var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; };
      var tick = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            stop();
            var text = codes[0].rawValue;
            var m = text.match(/#scan=(.+)$/);
            checkInWithToken(m ? decodeURIComponent(m[1]) : text);
          } else { requestAnimationFrame(tick); }
        }).catch(function () { requestAnimationFrame(tick); });
      };
      tick();
    }).catch(function () { say(T.noCamera); });
  }

  function sendSighting() {
    var text = $("s-text").value.trim();
    if (!text) { say(T.needText); return; }
    var file = $("s-photo").files[0];
    if (file && file.size > 5 * 1024 * 1024) { say(T.photoTooLarge); return; }
    var read = file ? new Promise(function (resolve) {
      var r = new FileReader(); r.onload = function () { resolve(r.result); }; r.readAsDataURL(file);
    }) : Promise.resolve("");
    return Promise.all([read, position()]).then(function (res) {
      var data = {kind: $("s-kind").value, text: text, photo: res[0]};
      if (res[1]) { data.lat = res[1].lat; data.lon = res[1].lon; }
      $("s-text").value = ""; $("s-photo").value = "";
      return enqueue("sighting", text.slice(0, 20), data);
    });
  }

  function showData(d) {
    $("who").textContent = d.member ? "· " + d.member : "";
    var box = $("routes");
    box.innerHTML = "";
    var select = $("point");
    select.innerHTML = "<option value=\"\">—</option>";
    if (!d.routes.length) { box.textContent = T.noRoutes; return; }
    d.routes.forEach(function (r) {
      var div = document.createElement("div");
      var h = document.createElement("h3"); h.textContent = r.name; div.appendChild(h);
      var p = document.createElement("p");
      r.windows.forEach(function (w) {
        var s = document.createElement("span"); s.className = "state state-" + w.state;
        s.textContent = w.start + "–" + w.end + " " + w.label; p.appendChild(s); p.appendChild(document.createTextNode(" "));
      });
      div.appendChild(p);
      box.appendChild(div);
      var group = document.createElement("optgroup"); group.label = r.name;
      r.checkpoints.forEach(function (c) {
        var o = document.createElement("option"); o.value = c.id; o.textContent = c.name; group.appendChild(o);
      });
      select.appendChild(group);
    });
  }

  function loadData() {
    return fetch(C.data, {credentials: "same-origin"}).then(answered, function (err) { heard(false); throw err; }).then(function (r) {
      if (!r.ok || r.redirected) throw new Error("no data");
      return r.json();
    }).then(function (d) { localStorage.setItem(DKEY, JSON.stringify(d)); showData(d); })
      .catch(function () { var d = localStorage.getItem(DKEY); if (d) showData(JSON.parse(d)); });
  }

  $("scan").onclick = scan;
  $("checkin-qr").onclick = function () { checkInWithToken($("token").value); };
  $("checkin-gps").onclick = checkInByGps;
  $("send-sighting").onclick = sendSighting;
  $("sync").onclick = sync;
  window.addEventListener("online", function () { sync(); });
  window.addEventListener("offline", function () { heard(false); });
  // Every 5 s: send what waits; when the server was away and nothing waits, ask it again.
  setInterval(function () {
    if (load().some(function (x) { return x.state === "waiting"; })) sync();
    else if (reachable === false) loadData();
  }, 5000);
  setNet();
  render();
  loadData().then(function () {
    var m = location.hash.match(/^#scan=(.+)$/);  // opened by scanning a printed code with the camera app
    if (m) { history.replaceState(null, "", location.pathname); checkInWithToken(decodeURIComponent(m[1])); }
  });
  sync();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(C.sw, {scope: C.scope}).catch(function () {});
  }
  window.shouwangPatrol = {sync: sync, queue: load};
})();
