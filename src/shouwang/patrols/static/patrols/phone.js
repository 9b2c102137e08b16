/* Shouwang patrol phone page: actions queue on the device (localStorage) and sync when online.
 * Every action carries a client UUID, so sending it again never duplicates. An item the
 * server refused stays in the queue with the reason until the member removes it. */
(function () {
  "use strict";
  var T = JSON.parse(document.getElementById("strings").textContent);
  var C = JSON.parse(document.getElementById("config").textContent);
  var DKEY = "shouwang.patrols.data." + C.user;  // today's routes, per user like the queue
  var $ = function (id) { return document.getElementById(id); };
  // Whether the server answered our last request: what the badge shows. The browser's
  // navigator.onLine says only that some network is up, not that the server is reachable.
  var reachable = null;
  var box = Shouwang.outbox({
    name: "patrols", user: C.user, url: C.sync, onChange: render, onReach: heard,
    onHeld: function () { say(T.otherUser); },
    body: function (items) {
      return {user: C.user, device_now: new Date().toISOString(), items: items.map(function (x) {
        return {type: x.type, client_uuid: x.client_uuid, data: x.data};
      })};
    }
  });

  function say(text) { $("message").textContent = text; }

  function stateText(item) {
    if (item.state === "waiting") return item.tries ? T.retry : T.waiting;
    if (item.state === "synced" && item.notes && item.notes.length) return T.syncedNotes;
    return T[item.state] || item.state;
  }

  function render(q) {
    q = q || box.items();
    var list = $("queue");
    list.innerHTML = "";
    var waiting = 0;
    q.forEach(function (item) {
      var li = document.createElement("li");
      var warn = item.state === "synced" && item.notes && item.notes.length;
      li.className = "item " + item.state + (warn ? " warn" : "");
      li.dataset.uuid = item.client_uuid;
      var label = (item.type === "checkin" ? T.checkin : T.sighting) + " · " + item.label + " · ";
      li.appendChild(document.createTextNode(label));
      var st = document.createElement("b");
      st.className = "state-text";
      st.textContent = stateText(item);
      li.appendChild(st);
      (warn ? item.notes : []).forEach(function (text) {
        var n = document.createElement("span"); n.className = "reason"; n.textContent = text; li.appendChild(n);
      });
      if (item.state === "waiting") waiting++;
      if (item.state === "refused") {
        var r = document.createElement("span");
        r.className = "reason";
        r.textContent = item.reason;
        li.appendChild(r);
        var rm = document.createElement("button");
        rm.type = "button"; rm.className = "secondary"; rm.textContent = T.remove;
        rm.onclick = function () { box.remove(item.client_uuid); };
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

  // After a send the windows of today change (met, late): ask for them again.
  function sync() {
    var before = box.waiting();
    return box.sync().then(function () {
      if (before && box.waiting() < before) return loadData();
    });
  }

  function enqueue(type, label, data) {
    var sent = box.add(type, label, data);
    say(T.queued);
    // Sent at once when the network is there: say so, not "saved for later".
    return sent.then(function (id) {
      var item = box.items().filter(function (x) { return x.client_uuid === id; })[0];
      if (item && item.state === "synced") say(T.sentNow);
      else if (item && item.state === "refused") say(T.refused + ": " + item.reason);
      return loadData();
    });
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
    return fetch(C.data, {credentials: "same-origin"}).then(box.answered, box.unreachable).then(function (r) {
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
    if (box.waiting()) sync();
    else if (reachable === false) loadData();
  }, 5000);
  Shouwang.guardLogout(box, T.logoutWaiting);
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
  window.shouwangPatrol = {sync: sync, queue: box.items};
})();
