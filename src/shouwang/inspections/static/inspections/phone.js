/* Shouwang inspection phone page: pick a key place, fill its checklist (also offline), sign,
 * submit. A finished inspection waits in the user's outbox with its client UUID and goes to the
 * server when it is reachable; one the server sent back keeps its reasons, shown by item, and
 * can be corrected and sent again. The checklist being filled is kept on the phone as a draft. */
(function () {
  "use strict";
  var T = JSON.parse(document.getElementById("strings").textContent);
  var C = JSON.parse(document.getElementById("config").textContent);
  var DKEY = "shouwang.inspections.data." + C.user;    // places and checklists, per user
  var DRAFT = "shouwang.inspections.draft." + C.user;  // the checklist being filled
  var PHOTO_EDGE = 1280, PHOTO_QUALITY = 0.7;
  var $ = function (id) { return document.getElementById(id); };
  var data = null, here = null, current = null, reachable = null;
  var pads = {};

  var box = Shouwang.outbox({
    name: "inspections", user: C.user, url: C.submit, each: true, onChange: renderQueue, onReach: heard,
    body: function (items) { return items.map(function (x) { return x.data; }); }
  });

  function fmt(text, args) {
    return text.replace(/%\((\w+)\)s/g, function (_m, k) { return args[k] === undefined ? "" : args[k]; });
  }
  function say(text) { $("message").textContent = text || ""; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function num(n) { return String(Math.round(n * 100) / 100); }

  // --- Network badge -------------------------------------------------------------------------
  function setNet() {
    var on = reachable === null ? navigator.onLine : reachable;
    $("net").textContent = on ? T.online : T.offline;
    $("net").className = "net" + (on ? "" : " off");
  }
  function heard(ok) { reachable = ok; setNet(); }

  // --- Places -------------------------------------------------------------------------------
  function km(a, b) {
    var r = Math.PI / 180, dLat = (b.lat - a.lat) * r, dLon = (b.lon - a.lon) * r;
    var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 6371 * 2 * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h));
  }

  function renderPlaces() {
    var list = $("places");
    list.innerHTML = "";
    if (!data) return;
    var q = $("search").value.trim().toLowerCase();
    var rows = data.places.filter(function (p) {
      return !q || [p.name, p.address, p.unit, p.node, p.category].join(" ").toLowerCase().indexOf(q) >= 0;
    }).map(function (p) {
      return {p: p, d: here && p.lat !== null && p.lon !== null ? km(here, p) : null};
    });
    rows.sort(function (a, b) {
      if (a.d !== null && b.d !== null) return a.d - b.d;
      if (a.d !== null) return -1;
      if (b.d !== null) return 1;
      return a.p.name.localeCompare(b.p.name, "zh-Hans-CN");
    });
    if (!rows.length) { list.appendChild(el("li", "muted", T.noPlaces)); return; }
    rows.slice(0, 60).forEach(function (row) {
      var li = el("li");
      var b = el("button", "place");
      b.type = "button";
      b.dataset.place = row.p.id;
      b.appendChild(el("strong", "", row.p.name));
      var meta = [row.p.category, row.p.node, row.p.address].filter(Boolean).join(" · ");
      b.appendChild(el("span", "meta", meta));
      if (row.d !== null) b.appendChild(el("span", "dist", fmt(T.distance, {km: num(row.d < 10 ? row.d : Math.round(row.d))})));
      if (!row.p.version) b.appendChild(el("span", "reason", T.noChecklist));
      b.onclick = function () { choose(row.p.id); };
      li.appendChild(b);
      list.appendChild(li);
    });
  }

  function findPlace(id) { return data && data.places.filter(function (p) { return p.id === Number(id); })[0]; }

  function locate() {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(function (p) {
      here = {lat: p.coords.latitude, lon: p.coords.longitude};
      renderPlaces();
    }, function () {}, {enableHighAccuracy: true, timeout: 5000, maximumAge: 60000});
  }

  // --- Checklist ----------------------------------------------------------------------------
  function blankDraft(place) {
    return {place: place.id, version: place.version, plan: C.plan, answers: {}, started_at: new Date().toISOString(),
            present_person: "", remarks: "", sig: {}};
  }
  function saveDraft() {
    if (!current) return;
    current.draft.present_person = $("present-person").value;
    current.draft.remarks = $("remarks").value;
    try { localStorage.setItem(DRAFT, JSON.stringify(current.draft)); } catch (e) { /* full: kept in memory */ }
  }
  function answerOf(id) {
    var a = current.draft.answers[id];
    if (!a) { a = current.draft.answers[id] = {value: "", note: "", photos: []}; }
    return a;
  }

  // pass / fail / na / null (not answered), as the server scores it (scoring.py)
  function judge(item, a) {
    var v = a ? a.value : "";
    if (v === "na" && item.type !== "text") return "na";
    if (item.type === "yes_no") return v === "yes" ? "pass" : v === "no" ? "fail" : null;
    if (item.type === "number") {
      if (v === "" || v === null || isNaN(Number(v))) return null;
      var n = Number(v);
      return (item.min === null || n >= item.min) && (item.max === null || n <= item.max) ? "pass" : "fail";
    }
    if (item.type === "choice") {
      if (!v) return null;
      return item.failing.indexOf(v) >= 0 ? "fail" : "pass";
    }
    return "pass";
  }
  function needsAnswer(item) { return ["yes_no", "number", "choice"].indexOf(item.type) >= 0; }

  function limitsText(item) {
    var u = item.unit ? " " + item.unit : "";
    if (item.min !== null && item.max !== null) return fmt(T.limits, {range: fmt(T.between, {low: num(item.min), high: num(item.max)}) + u});
    if (item.min !== null) return fmt(T.limits, {range: fmt(T.atLeast, {n: num(item.min)}) + u});
    if (item.max !== null) return fmt(T.limits, {range: fmt(T.atMost, {n: num(item.max)}) + u});
    return "";
  }

  function refreshScore() {
    var earned = 0, possible = 0, done = 0, all = 0, failed = 0;
    current.items.forEach(function (item) {
      var r = judge(item, current.draft.answers[item.id]);
      var card = document.querySelector(".item[data-item='" + item.id + "']");
      if (card) {
        card.classList.toggle("fail", r === "fail");
        card.classList.toggle("na", r === "na");
        card.classList.toggle("answered", r !== null);
        var badge = card.querySelector(".verdict");
        badge.textContent = r === "fail" ? (item.type === "number" ? T.outOfRange : T.failed) : "";
      }
      if (needsAnswer(item)) { all++; if (r !== null) done++; }
      if (r === "fail") failed++;
      if (r === null || r === "na") return;
      possible += item.weight;
      if (r === "pass") earned += item.weight;
    });
    $("score").textContent = fmt(T.score, {score: earned, max: possible});
    $("progress").textContent = fmt(T.answered, {done: done, all: all});
    $("failed-count").textContent = failed ? fmt(T.failedCount, {n: failed}) : "";
    $("scorebar").classList.toggle("has-fail", failed > 0);
  }

  function choiceButtons(item, values) {
    var row = el("div", "choices" + (values.length > 3 ? " many" : ""));
    values.forEach(function (pair) {
      var b = el("button", "choice choice-" + pair[0].replace(/\W/g, ""), pair[1]);
      b.type = "button";
      b.dataset.value = pair[0];
      b.setAttribute("aria-pressed", String(answerOf(item.id).value === pair[0]));
      b.onclick = function () {
        var a = answerOf(item.id);
        a.value = a.value === pair[0] ? "" : pair[0];
        row.querySelectorAll("button").forEach(function (x) { x.setAttribute("aria-pressed", String(x.dataset.value === a.value)); });
        var input = row.parentNode.querySelector("input.number");
        if (input && pair[0] === "na") input.value = "";
        changed();
      };
      row.appendChild(b);
    });
    return row;
  }

  function photoStrip(item, strip) {
    strip.innerHTML = "";
    answerOf(item.id).photos.forEach(function (src, i) {
      var fig = el("span", "thumb");
      var img = el("img"); img.src = src; img.alt = "";
      var rm = el("button", "rm", "×"); rm.type = "button"; rm.setAttribute("aria-label", T.removePhoto);
      rm.onclick = function () { answerOf(item.id).photos.splice(i, 1); photoStrip(item, strip); changed(); };
      fig.appendChild(img); fig.appendChild(rm); strip.appendChild(fig);
    });
  }

  function downscale(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () {
        var s = Math.min(1, PHOTO_EDGE / Math.max(img.naturalWidth, img.naturalHeight));
        var c = document.createElement("canvas");
        c.width = Math.max(1, Math.round(img.naturalWidth * s)); c.height = Math.max(1, Math.round(img.naturalHeight * s));
        var g = c.getContext("2d");
        g.fillStyle = "#fff"; g.fillRect(0, 0, c.width, c.height);
        g.drawImage(img, 0, 0, c.width, c.height);
        URL.revokeObjectURL(url);
        resolve(c.toDataURL("image/jpeg", PHOTO_QUALITY));
      };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("image")); };
      img.src = url;
    });
  }

  function itemCard(item, n) {
    var card = el("div", "item");
    card.dataset.item = item.id;
    card.dataset.type = item.type;
    var head = el("p", "q");
    head.appendChild(el("span", "n", n + ". "));
    head.appendChild(document.createTextNode(item.text));
    if (item.severity !== "note") head.appendChild(el("span", "sev sev-" + item.severity, item.severity_label));
    card.appendChild(head);
    if (item.guidance) card.appendChild(el("p", "guidance", item.guidance));
    var a = answerOf(item.id);
    if (item.type === "yes_no") {
      card.appendChild(choiceButtons(item, [["yes", T.yes], ["no", T.no], ["na", T.na]]));
    } else if (item.type === "number") {
      var lim = limitsText(item);
      if (lim) card.appendChild(el("p", "limits", lim));
      var wrap = el("div", "numrow");
      var input = el("input", "number");
      input.type = "number"; input.inputMode = "decimal"; input.step = "any";
      input.value = a.value === "na" ? "" : a.value;
      input.setAttribute("aria-label", item.text);
      input.oninput = function () {
        answerOf(item.id).value = input.value;
        card.querySelectorAll(".choice").forEach(function (x) { x.setAttribute("aria-pressed", "false"); });
        changed();
      };
      wrap.appendChild(input);
      if (item.unit) wrap.appendChild(el("span", "unit", item.unit));
      card.appendChild(wrap);
      card.appendChild(choiceButtons(item, [["na", T.na]]));
    } else if (item.type === "choice") {
      card.appendChild(choiceButtons(item, item.options.map(function (o) { return [o, o]; }).concat([["na", T.na]])));
    } else if (item.type === "text") {
      var t = el("textarea", "text"); t.rows = 2; t.value = a.value; t.setAttribute("aria-label", item.text);
      t.oninput = function () { answerOf(item.id).value = t.value; changed(); };
      card.appendChild(t);
    }
    card.appendChild(el("p", "verdict"));
    if (item.type !== "text") {
      var note = el("input", "note"); note.placeholder = T.note; note.value = a.note; note.setAttribute("aria-label", T.note);
      note.oninput = function () { answerOf(item.id).note = note.value; saveDraft(); };
      card.appendChild(note);
    }
    var cam = el("label", "camera" + (item.photo ? " required" : ""));
    cam.appendChild(document.createTextNode(item.photo ? T.photoMust : T.photo));
    var file = el("input", "photo");
    file.type = "file"; file.accept = "image/*"; file.setAttribute("capture", "environment"); file.multiple = true;
    var strip = el("div", "thumbs");
    file.onchange = function () {
      var files = Array.prototype.slice.call(file.files || []);
      Promise.all(files.map(function (f) { return downscale(f).catch(function () { return null; }); })).then(function (urls) {
        urls.forEach(function (u) { if (u) answerOf(item.id).photos.push(u); else say(T.photoFailed); });
        file.value = "";
        photoStrip(item, strip);
        changed();
      });
    };
    cam.appendChild(file);
    card.appendChild(cam);
    card.appendChild(strip);
    photoStrip(item, strip);
    card.appendChild(el("p", "reason item-error"));
    return card;
  }

  function changed() { refreshScore(); saveDraft(); }

  function showChecklist(place, draft) {
    var checklist = data.checklists[String(place.version)];
    if (!checklist) { say(T.noChecklist); return; }
    current = {place: place, checklist: checklist, items: checklist.items, draft: draft || blankDraft(place)};
    $("pick").hidden = true;
    $("checklist").hidden = false;
    $("place-name").textContent = place.name;
    $("place-meta").textContent = [place.category, place.unit, place.responsible].filter(Boolean).join(" · ");
    $("checklist-name").textContent = checklist.template + " v" + checklist.number;
    $("inspector-name").textContent = data.inspector || "";
    $("present-person").value = current.draft.present_person || place.responsible || "";
    $("remarks").value = current.draft.remarks || "";
    $("form-error").textContent = "";
    var root = $("sections");
    root.innerHTML = "";
    var section = null, n = 0;
    current.items.forEach(function (item) {
      if (!section || section.dataset.name !== item.section) {
        section = el("section", "checklist-section");
        section.dataset.name = item.section;
        section.appendChild(el("h3", "", item.section));
        root.appendChild(section);
      }
      section.appendChild(itemCard(item, ++n));
    });
    Object.keys(pads).forEach(function (k) { pads[k].load((current.draft.sig || {})[k]); });
    refreshScore();
    saveDraft();
    window.scrollTo(0, 0);
  }

  function choose(id) {
    var place = findPlace(id);
    if (!place) return;
    if (!place.version) { say(T.noChecklist); return; }
    showChecklist(place, null);
  }

  function leave() {
    if (current && Object.keys(current.draft.answers).length && !window.confirm(T.confirmLeave)) return;
    current = null;
    localStorage.removeItem(DRAFT);
    $("checklist").hidden = true;
    $("pick").hidden = false;
    renderPlaces();
  }

  // --- Signatures ---------------------------------------------------------------------------
  function pad(id) {
    var canvas = $(id), g = canvas.getContext("2d"), drawing = false, last = null, signed = false;
    function clear() { g.fillStyle = "#fff"; g.fillRect(0, 0, canvas.width, canvas.height); signed = false; }
    function at(e) { var r = canvas.getBoundingClientRect(); return {x: (e.clientX - r.left) * canvas.width / r.width, y: (e.clientY - r.top) * canvas.height / r.height}; }
    function load(src) {
      clear();
      if (!src) return;
      var img = new Image();
      img.onload = function () { g.drawImage(img, 0, 0, canvas.width, canvas.height); signed = true; };
      img.src = src;
    }
    canvas.addEventListener("pointerdown", function (e) { drawing = true; last = at(e); canvas.setPointerCapture(e.pointerId); e.preventDefault(); });
    canvas.addEventListener("pointermove", function (e) {
      if (!drawing) return;
      var p = at(e);
      g.strokeStyle = "#0b1f3a"; g.lineWidth = 2.5; g.lineCap = "round"; g.lineJoin = "round";
      g.beginPath(); g.moveTo(last.x, last.y); g.lineTo(p.x, p.y); g.stroke();
      last = p; signed = true;
    });
    function end() {
      if (!drawing) return;
      drawing = false;
      if (current && signed) { current.draft.sig = current.draft.sig || {}; current.draft.sig[id] = canvas.toDataURL("image/png"); saveDraft(); }
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    clear();
    return {
      clear: function () { clear(); if (current && current.draft.sig) { delete current.draft.sig[id]; saveDraft(); } },
      load: load, signed: function () { return signed; },
      value: function () { return signed ? canvas.toDataURL("image/png") : ""; }
    };
  }

  // --- Submit -------------------------------------------------------------------------------
  function position() {
    return new Promise(function (resolve) {
      if (!navigator.geolocation) return resolve(here);
      navigator.geolocation.getCurrentPosition(function (p) {
        here = {lat: p.coords.latitude, lon: p.coords.longitude};
        resolve(here);
      }, function () { resolve(here); }, {enableHighAccuracy: true, timeout: 4000, maximumAge: 30000});
    });
  }

  function showErrors(byItem, general) {
    document.querySelectorAll(".item-error").forEach(function (e) { e.textContent = ""; });
    document.querySelectorAll(".item.error").forEach(function (e) { e.classList.remove("error"); });
    var first = null;
    Object.keys(byItem).forEach(function (id) {
      var card = document.querySelector(".item[data-item='" + id + "']");
      if (!card) return;
      card.classList.add("error");
      card.querySelector(".item-error").textContent = byItem[id];
      first = first || card;
    });
    $("form-error").textContent = general || "";
    if (first) first.scrollIntoView({block: "center"});
  }

  function submit(e) {
    e.preventDefault();
    saveDraft();
    var missing = {}, names = [];
    current.items.forEach(function (item, i) {
      var a = current.draft.answers[item.id];
      var r = judge(item, a);
      if (needsAnswer(item) && r === null) { missing[item.id] = fmt(T.itemLabel, {n: i + 1}) + " · " + item.text; names.push(i + 1); }
      else if (item.photo && r !== "na" && !(a && a.photos.length)) { missing[item.id] = T.photoNeeded; names.push(i + 1); }
    });
    if (names.length) { showErrors(missing, fmt(T.unanswered, {items: names.join("、")})); return; }
    if (!pads["sig-inspector"].signed()) { showErrors({}, T.needInspector); $("sig-inspector").scrollIntoView({block: "center"}); return; }
    var present = $("present-person").value.trim();
    if (pads["sig-present"].signed() && !present) { showErrors({}, T.needPresent); $("present-person").focus(); return; }
    showErrors({}, "");
    var place = current.place, draft = current.draft;
    $("submit").disabled = true;
    return position().then(function (pos) {
      var body = {
        place: place.id, version: place.version, plan: draft.plan || null, started_at: draft.started_at,
        finished_at: new Date().toISOString(), present_person: present, remarks: $("remarks").value.trim(),
        inspector_signature: pads["sig-inspector"].value(), present_signature: pads["sig-present"].value(),
        answers: current.items.map(function (item) {
          var a = draft.answers[item.id] || {value: "", note: "", photos: []};
          return {item: item.id, value: a.value, note: a.note || "", photos: a.photos || []};
        })
      };
      if (pos) { body.lat = pos.lat; body.lon = pos.lon; }
      var sent;
      try { sent = box.add("inspection", place.name, body); } catch (err) { $("submit").disabled = false; say(err.message); return; }
      current = null;
      localStorage.removeItem(DRAFT);
      $("checklist").hidden = true;
      $("pick").hidden = false;
      $("submit").disabled = false;
      renderPlaces();
      say(T.queued);
      window.scrollTo(0, 0);
      return sent.then(function (id) {
        var item = box.items().filter(function (x) { return x.client_uuid === id; })[0];
        if (item && item.state === "synced") say(T.sentNow);
        else if (item && item.state === "refused") say(T.refused + ": " + item.reason);
      });
    });
  }

  // --- The queue ----------------------------------------------------------------------------
  function itemName(entry, key) {
    var m = key.match(/^answers\.(\d+)/);
    if (!m || !data) return "";
    var id = Number(m[1]);
    var found = null;
    Object.keys(data.checklists).forEach(function (v) {
      (data.checklists[v].items || []).forEach(function (it, i) { if (it.id === id) found = fmt(T.itemLabel, {n: i + 1}) + " · " + it.text; });
    });
    return found || "";
  }

  function stateText(item) { return T[item.state] || item.state; }

  function renderQueue(q) {
    q = (q || box.items()).filter(function (x) { return x.type === "inspection"; });
    var list = $("queue");
    list.innerHTML = "";
    var waiting = 0;
    q.slice().reverse().forEach(function (item) {
      var li = el("li", "item-q " + item.state);
      li.dataset.uuid = item.client_uuid;
      var when = item.data && item.data.finished_at ? new Date(item.data.finished_at) : null;
      var label = item.label + (when ? " · " + when.toLocaleString(document.documentElement.lang, {month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit"}) : "");
      li.appendChild(el("span", "label", label));
      li.appendChild(el("b", "state-text", stateText(item)));
      if (item.state === "waiting" && item.tries) li.appendChild(el("span", "muted tried", T.retry));
      var rec = item.state === "synced" && item.record;
      if (rec && rec.score !== undefined) {
        var sum = fmt(T.score, {score: rec.score, max: rec.max_score});
        if (rec.failed_count) sum += " · " + fmt(T.failedCount, {n: rec.failed_count});
        if (rec.findings && rec.findings.length) sum += " · " + fmt(T.orders, {n: rec.findings.length});
        var a = el("a", "summary", sum);
        a.href = C.detail.replace("0", String(rec.id));
        li.appendChild(a);
      }
      if (item.state === "waiting") waiting++;
      if (item.state === "refused") {
        var ul = el("ul", "reasons");
        var errors = item.errors || {};
        if (!Object.keys(errors).length && item.reason) errors = {detail: [item.reason]};
        Object.keys(errors).forEach(function (key) {
          var name = itemName(item, key);
          [].concat(errors[key]).forEach(function (msg) { ul.appendChild(el("li", "reason", (name ? name + "：" : "") + msg)); });
        });
        li.appendChild(ul);
        var edit = el("button", "secondary small", T.edit); edit.type = "button";
        edit.onclick = function () { reopen(item.client_uuid); };
        var rm = el("button", "secondary small", T.remove); rm.type = "button";
        rm.onclick = function () { if (window.confirm(T.confirmRemove)) box.remove(item.client_uuid); };
        li.appendChild(edit); li.appendChild(rm);
      }
      list.appendChild(li);
    });
    $("queue-count").textContent = waiting;
    if (!q.length) list.appendChild(el("li", "muted", T.nothing));
    // "saved for later" no longer holds once nothing waits: say how it ended
    if (!waiting && $("message").textContent === T.queued) {
      var back = q.filter(function (x) { return x.state === "refused"; });
      say(back.length ? T.refused + "：" + back[back.length - 1].label : T.sentNow);
    }
  }

  // A sent-back inspection back into the form, its reasons on its items.
  function reopen(id) {
    var entry = box.items().filter(function (x) { return x.client_uuid === id; })[0];
    var place = entry && findPlace(entry.data.place);
    if (!place || !data.checklists[String(entry.data.version)]) return;
    box.take(id);
    var d = entry.data, answers = {};
    d.answers.forEach(function (a) { answers[a.item] = {value: a.value, note: a.note, photos: a.photos || []}; });
    place = Object.assign({}, place, {version: d.version});
    showChecklist(place, {place: d.place, version: d.version, plan: d.plan, answers: answers, started_at: d.started_at,
                          present_person: d.present_person, remarks: d.remarks,
                          sig: {"sig-inspector": d.inspector_signature, "sig-present": d.present_signature}});
    var byItem = {}, general = [];
    Object.keys(entry.errors || {}).forEach(function (key) {
      var m = key.match(/^answers\.(\d+)/);
      if (m) byItem[m[1]] = [].concat(entry.errors[key]).join(" ");
      else general = general.concat(entry.errors[key]);
    });
    showErrors(byItem, general.join(" "));
  }

  // --- Data ---------------------------------------------------------------------------------
  function show(d, offline) {
    data = d;
    $("who").textContent = d.inspector ? "· " + d.inspector : "";
    $("order-note").textContent = offline ? T.dataOffline : "";
    renderPlaces();
    renderQueue();
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

  function start() {
    var draft = null;
    try { draft = JSON.parse(localStorage.getItem(DRAFT)); } catch (e) { draft = null; }
    var place = draft && findPlace(draft.place);
    if (place && data.checklists[String(draft.version)]) showChecklist(Object.assign({}, place, {version: draft.version}), draft);
    else if (C.place && findPlace(C.place)) choose(C.place);
  }

  pads["sig-inspector"] = pad("sig-inspector");
  pads["sig-present"] = pad("sig-present");
  document.querySelectorAll("[data-clear]").forEach(function (b) { b.onclick = function () { pads[b.dataset.clear].clear(); }; });
  $("search").oninput = renderPlaces;
  $("change-place").onclick = leave;
  $("checklist").onsubmit = submit;
  $("present-person").oninput = saveDraft;
  $("remarks").oninput = saveDraft;
  $("sync").onclick = function () { box.sync(); };
  window.addEventListener("online", function () { box.sync(); });
  window.addEventListener("offline", function () { heard(false); });
  setInterval(function () {
    if (box.waiting()) box.sync();
    else if (reachable === false) loadData();
  }, 5000);
  Shouwang.guardLogout(box, T.logoutWaiting);
  setNet();
  renderQueue();
  locate();
  loadData().then(function () { if (data) start(); });
  box.sync();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(C.sw, {scope: C.scope}).catch(function () {});
  }
  window.shouwangInspection = {sync: box.sync, queue: box.items, data: function () { return data; }};
})();
