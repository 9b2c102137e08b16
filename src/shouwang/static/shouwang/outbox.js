/* The phone outbox: what a user does on a phone waits on the device (localStorage) until the
 * server takes it, for every phone form. Each item carries a client UUID, so sending it again
 * never duplicates; an item the server refused stays with its reason until removed.
 *
 * The queue belongs to one user on one phone (its key holds the user's id): after a logout,
 * the next person's phone never sends the last person's items as theirs.
 *
 *   var box = Shouwang.outbox({name: "patrols", user: 7, url: "/api/...", onChange: render,
 *                              onReach: showBadge, body: function (items) {...}});
 *   box.add("checkin", "东门", {...});  box.sync();  box.items();  box.waiting();
 *
 * `each: true` is for an API whose POST takes one record (the inspections' phone): each item's
 * data is sent alone; 2xx stored, 400/403/404/409 refused with the server's field messages kept
 * in `errors` (per field, e.g. "answers.12"), anything else or no answer: tried again later.
 */
(function () {
  "use strict";
  var KEEP_SYNCED_MS = 10 * 60 * 1000;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }
  function reasonOf(errors) {
    var parts = [];
    Object.keys(errors || {}).forEach(function (k) { parts = parts.concat(errors[k]); });
    return parts.join(" ");
  }
  function keyOf(name, user) { return "shouwang.outbox." + name + "." + user; }

  function outbox(opts) {
    var key = keyOf(opts.name, opts.user);
    var onChange = opts.onChange || function () {};
    var onReach = opts.onReach || function () {};
    var syncing = false;

    function items() { try { return JSON.parse(localStorage.getItem(key)) || []; } catch (e) { return []; } }
    function save(q) { localStorage.setItem(key, JSON.stringify(q)); onChange(q); }
    function waiting() { return items().filter(function (x) { return x.state === "waiting"; }).length; }
    // The service worker's cached copy, or a 502/503/504, is not the server answering.
    function answered(resp) {
      var away = resp.headers.get("X-Shouwang-Offline") || resp.status === 502 || resp.status === 503 || resp.status === 504;
      onReach(!away);
      return resp;
    }
    function unreachable(err) { onReach(false); throw err; }

    function post(body) {
      return fetch(opts.url, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken"),
                  "Accept-Language": document.documentElement.lang},
        body: JSON.stringify(body)
      }).then(answered, unreachable);
    }
    // One request per item, in order; stops at the first that gets no answer (the rest wait).
    function postEach(pending) {
      var results = [];
      return pending.reduce(function (p, x) {
        return p.then(function () {
          return post(x.data).then(function (resp) {
            if (resp.ok && !resp.redirected) {
              return resp.json().then(function (d) { results.push({client_uuid: x.client_uuid, status: "stored", record: d}); });
            }
            if ([400, 403, 404, 409].indexOf(resp.status) >= 0 && !resp.headers.get("X-Shouwang-Offline")) {
              return resp.json().catch(function () { return {}; }).then(function (e) {
                results.push({client_uuid: x.client_uuid, status: "refused", errors: e});
              });
            }
            throw new Error("HTTP " + resp.status);
          });
        });
      }, Promise.resolve()).then(function () { return {results: results}; }, function () {
        return {results: results, unsent: true};
      });
    }

    function sync() {
      if (syncing) return Promise.resolve();
      var pending = items().filter(function (x) { return x.state === "waiting"; });
      if (!pending.length) return Promise.resolve();
      syncing = true;
      if (opts.each) {
        return postEach(pending).then(function (data) {
          var byId = {};
          data.results.forEach(function (r) { byId[r.client_uuid] = r; });
          var now = items().map(function (x) {
            var r = byId[x.client_uuid];
            if (x.state !== "waiting") return x;
            if (!r) { if (data.unsent) x.tries = (x.tries || 0) + 1; return x; }
            if (r.status === "refused") {
              var errors = {};
              Object.keys(r.errors || {}).forEach(function (k) { if (k !== "request_id" && k !== "code") errors[k] = [].concat(r.errors[k]); });
              x.state = "refused"; x.errors = errors; x.reason = reasonOf(errors);
            } else { x.state = "synced"; x.synced_at = Date.now(); x.record = r.record; }
            return x;
          });
          save(now.filter(function (x) { return x.state !== "synced" || Date.now() - x.synced_at < KEEP_SYNCED_MS; }));
        }).then(function () { syncing = false; });
      }
      return fetch(opts.url, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken"),
                  "Accept-Language": document.documentElement.lang},
        body: JSON.stringify(opts.body(pending))
      }).then(answered, unreachable).then(function (resp) {
        if (resp.status === 409 && opts.onHeld) opts.onHeld();  // queued by another user: kept, not sent
        if (!resp.ok || resp.redirected) throw new Error("HTTP " + resp.status);
        return resp.json();
      }).then(function (data) {
        var byId = {};
        data.results.forEach(function (r) { byId[r.client_uuid] = r; });
        var now = items().map(function (x) {
          var r = byId[x.client_uuid];
          if (!r || x.state !== "waiting") return x;
          if (r.status === "refused") { x.state = "refused"; x.reason = reasonOf(r.errors); }
          else {  // stored; its notes say what the server remarked (a flag, no window) for the page to show
            x.state = "synced"; x.synced_at = Date.now(); x.result = r.status;
            x.notes = r.notes || []; x.flags = r.flags || [];
          }
          return x;
        });
        // Synced items are shown for a while, then dropped; refused ones stay.
        save(now.filter(function (x) { return x.state !== "synced" || Date.now() - x.synced_at < KEEP_SYNCED_MS; }));
      }).catch(function () {
        // Offline or the server is away: keep the queue and say it was tried.
        save(items().map(function (x) { if (x.state === "waiting") x.tries = (x.tries || 0) + 1; return x; }));
      }).then(function () { syncing = false; });
    }

    function add(type, label, data) {
      var id = uuid();
      data.client_uuid = id;
      data.device_time = new Date().toISOString();
      var q = items();
      q.push({type: type, client_uuid: id, label: label, data: data, state: "waiting"});
      save(q);
      return sync().then(function () { return id; });
    }
    function remove(id) { save(items().filter(function (x) { return x.client_uuid !== id; })); }
    function take(id) {  // an item taken back off the queue (to correct it and add it again)
      var hit = items().filter(function (x) { return x.client_uuid === id; })[0];
      remove(id);
      return hit;
    }

    return {items: items, add: add, remove: remove, take: take, sync: sync, waiting: waiting, answered: answered,
            unreachable: unreachable, key: key};
  }

  /* Before a logout on this phone: if items still wait, say so and ask (they stay on the phone
   * for this user and go when this user logs in again). */
  function guardLogout(box, question) {
    document.querySelectorAll("form[data-logout]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        var n = box.waiting();
        if (n && !window.confirm(question.replace("%(n)s", n))) e.preventDefault();
      });
    });
  }

  window.Shouwang = Object.assign(window.Shouwang || {}, {outbox: outbox, guardLogout: guardLogout, uuid: uuid});
})();
