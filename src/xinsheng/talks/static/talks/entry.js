/* Talk records: fast entry on a phone with a poor signal, and the people picker.

   The entry form (form[data-talk-entry]) is sent in the background. What is typed is kept on the
   phone (localStorage) until it is saved, so that a reload or a dropped page loses nothing. A
   record that cannot be sent because the connection is gone is queued on the phone and sent when
   the connection returns (the "online" event, and a retry every little while); the page shows how
   many wait. Each record carries a random key made when it was started: the server keeps a hash
   of it, so a record sent twice is written once.

   Pickers (input[data-person-picker]) suggest people by name or number as one types, and add the
   chosen number to the field they name. Every text comes from the page (data-* attributes). */
(function () {
  "use strict";
  var RETRY_MS = 15000;
  var DRAFT_DAYS = 7;
  var KEPT = ["kind", "unit", "held_on", "place", "place_note", "direction", "hosts"];

  function store() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function read(key, fallback) {
    var s = store();
    if (!s) { return fallback; }
    try { var value = JSON.parse(s.getItem(key) || "null"); return value === null ? fallback : value; }
    catch (e) { return fallback; }
  }

  function write(key, value) {
    var s = store();
    if (!s) { return; }
    try {
      if (value === null) { s.removeItem(key); } else { s.setItem(key, JSON.stringify(value)); }
    } catch (e) { /* storage full or refused: the form still works while the page is open */ }
  }

  /* A random UUID (version 4); crypto.randomUUID exists only on https pages. */
  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "submit" && el.type !== "button" && el.type !== "file";
    });
  }

  /* The form's values as [name, value] pairs, as a post would send them. */
  function pairs(form) {
    var result = [];
    fieldsOf(form).forEach(function (el) {
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      result.push([el.name, el.value]);
    });
    return result;
  }

  function fill(form, values, only) {
    fieldsOf(form).forEach(function (el) {
      if (el.name === "csrfmiddlewaretoken") { return; }
      if (only && only.indexOf(el.name) < 0) { return; }
      var given = values.filter(function (pair) { return pair[0] === el.name; }).map(function (pair) { return pair[1]; });
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = given.indexOf(el.value) >= 0;
      } else if (el.tagName === "SELECT") {
        if (given.length) { el.value = given[0]; }
      } else {
        el.value = given.length ? given[0] : "";
      }
    });
  }

  function Entry(form) {
    this.form = form;
    var base = form.getAttribute("data-store-key");
    this.draftKey = base + ".draft";
    this.queueKey = base + ".queue";
    this.status = document.getElementById("entry-status");
    this.pending = document.getElementById("entry-pending");
    this.failed = document.getElementById("entry-failed");
    this.recent = document.getElementById("entry-recent");
    this.flushing = false;
    this.keyField = form.elements.namedItem("client_key");
  }

  Entry.prototype.text = function (name) { return this.form.getAttribute("data-text-" + name) || ""; };

  Entry.prototype.start = function () {
    var self = this;
    if (this.form.hasAttribute("data-fresh")) { this.restoreDraft(); }
    if (!this.keyField.value) { this.keyField.value = newKey(); }
    this.saveDraft();
    var keep = function () { self.saveDraft(); };  // at once: the page may be gone the next moment
    this.form.addEventListener("input", keep);
    this.form.addEventListener("change", keep);
    window.addEventListener("pagehide", keep);
    this.form.addEventListener("submit", function (event) { event.preventDefault(); self.submit(); });
    window.addEventListener("online", function () { self.flush(); });
    window.setInterval(function () { self.flush(); }, RETRY_MS);
    this.showPending();
    this.flush();
  };

  Entry.prototype.saveDraft = function () {
    write(this.draftKey, { at: Date.now(), values: pairs(this.form).filter(function (pair) { return pair[0] !== "csrfmiddlewaretoken"; }) });
  };

  Entry.prototype.restoreDraft = function () {
    var draft = read(this.draftKey, null);
    if (!draft || !draft.values || Date.now() - draft.at > DRAFT_DAYS * 864e5) { write(this.draftKey, null); return; }
    fill(this.form, draft.values);
  };

  Entry.prototype.queue = function () { return read(this.queueKey, []); };

  Entry.prototype.showPending = function () {
    var count = this.queue().length;
    this.pending.hidden = count === 0;
    this.pending.textContent = count ? this.text("pending").replace("{n}", String(count)) : "";
  };

  Entry.prototype.say = function (message, kind, link) {
    this.status.textContent = message;
    this.status.className = "entry-status" + (kind ? " is-" + kind : "");
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.textContent = this.text("view");
      this.status.appendChild(document.createTextNode(" "));
      this.status.appendChild(a);
    }
  };

  Entry.prototype.clearErrors = function () {
    this.form.querySelectorAll("[data-errors-for]").forEach(function (box) { box.textContent = ""; });
    this.form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
  };

  Entry.prototype.showErrors = function (errors) {
    var form = this.form;
    Object.keys(errors).forEach(function (name) {
      var box = form.querySelector('[data-errors-for="' + name + '"]') || form.querySelector('[data-errors-for="__all__"]');
      box.textContent = (box.textContent ? box.textContent + " " : "") + errors[name].join(" ");
      var field = form.elements.namedItem(name);
      if (field && field.setAttribute) { field.setAttribute("aria-invalid", "true"); }
      if (name.indexOf("voice_") === 0) { var details = box.closest("details"); if (details) { details.open = true; } }
    });
    var first = form.querySelector('[data-errors-for]:not(:empty)');
    if (first) { first.scrollIntoView({ block: "center" }); }
  };

  /* Empty the form for the next record, keeping where, when and with whom it was held. */
  Entry.prototype.next = function () {
    var kept = pairs(this.form).filter(function (pair) { return KEPT.indexOf(pair[0]) >= 0; });
    fieldsOf(this.form).forEach(function (el) {
      if (el.name === "csrfmiddlewaretoken" || KEPT.indexOf(el.name) >= 0) { return; }
      if (el.type === "checkbox" || el.type === "radio") { el.checked = false; }
      else if (el.tagName === "SELECT") { el.selectedIndex = 0; }
      else { el.value = ""; }
    });
    fill(this.form, kept, KEPT);
    this.keyField.value = newKey();
    this.clearErrors();
    this.saveDraft();
    var people = this.form.elements.namedItem("people");
    if (people) { people.focus(); }
  };

  Entry.prototype.remember = function (saved) {
    var empty = this.recent.querySelector("[data-empty]");
    if (empty) { empty.remove(); }
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = saved.url;
    a.textContent = saved.title;
    li.appendChild(a);
    saved.case_nos.forEach(function (no) {
      var badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = no;
      li.appendChild(document.createTextNode(" "));
      li.appendChild(badge);
    });
    this.recent.insertBefore(li, this.recent.firstChild);
  };

  /* Post one record; resolve to {status, body}, reject when the network failed. */
  Entry.prototype.post = function (values) {
    var body = new FormData();
    values.forEach(function (pair) { body.append(pair[0], pair[1]); });
    return fetch(this.form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") < 0) { return { status: response.status, body: null }; }
      return response.json().then(function (json) { return { status: response.status, body: json }; });
    });
  };

  Entry.prototype.enqueue = function (values) {
    var queue = this.queue();
    var key = values.filter(function (pair) { return pair[0] === "client_key"; })[0];
    if (!queue.some(function (item) { return item.key === (key && key[1]); })) {
      queue.push({ key: key ? key[1] : "", values: values, at: Date.now() });
      write(this.queueKey, queue);
    }
    this.showPending();
    this.say(this.text("queued"), "offline");
    this.next();
  };

  Entry.prototype.submit = function () {
    var self = this;
    var values = pairs(this.form);
    this.clearErrors();
    if (navigator.onLine === false) { this.enqueue(values); return; }
    var button = this.form.querySelector("button[type=submit]");
    button.disabled = true;
    this.say(this.text("sending"));
    this.post(values).then(function (answer) {
      button.disabled = false;
      if (answer.body && (answer.status === 200 || answer.status === 201)) {
        self.say(answer.body.message, "", answer.body.url);
        self.remember(answer.body);
        self.next();
        self.flush();
      } else if (answer.status === 400 && answer.body) {
        self.say(answer.body.message, "error");
        self.showErrors(answer.body.errors || {});
      } else if (answer.status === 401 || answer.status === 403 || answer.status === 302) {
        self.say(self.text("signin"), "error");
      } else {
        self.say(self.text("error"), "error");
      }
    }, function () {
      button.disabled = false;
      self.enqueue(values);  // the connection dropped on the way: keep it and send it later
    });
  };

  Entry.prototype.fail = function (item, message) {
    var self = this;
    var li = document.createElement("li");
    li.textContent = this.text("failed") + message + " ";
    var load = document.createElement("button");
    load.type = "button";
    load.className = "link";
    load.textContent = this.text("load");
    load.addEventListener("click", function () {
      fill(self.form, item.values);
      self.saveDraft();
      li.remove();
      self.form.scrollIntoView();
    });
    li.appendChild(load);
    this.failed.appendChild(li);
  };

  /* Send the queued records, oldest first, while the connection holds. */
  Entry.prototype.flush = function () {
    var self = this;
    var queue = this.queue();
    if (this.flushing || !queue.length || navigator.onLine === false) { return; }
    this.flushing = true;
    var item = queue[0];
    var token = this.form.elements.namedItem("csrfmiddlewaretoken");
    var values = item.values.map(function (pair) {
      return pair[0] === "csrfmiddlewaretoken" && token ? [pair[0], token.value] : pair;
    });
    var drop = function () {
      write(self.queueKey, self.queue().filter(function (other) { return other.key !== item.key; }));
      self.showPending();
    };
    this.post(values).then(function (answer) {
      self.flushing = false;
      if (answer.body && (answer.status === 200 || answer.status === 201)) {
        drop();
        self.remember(answer.body);
        self.say(self.queue().length ? answer.body.message : self.text("sent"), "", answer.body.url);
        self.flush();
      } else if (answer.status === 400 && answer.body) {
        drop();
        self.fail(item, answer.body.message);
        self.flush();
      } else if (answer.status === 401 || answer.status === 403 || answer.status === 302) {
        self.say(self.text("signin"), "error");
      }
    }, function () { self.flushing = false; });
  };

  function pickers() {
    document.querySelectorAll("input[data-person-picker]").forEach(function (input) {
      var target = document.getElementById(input.getAttribute("data-person-picker"));
      var list = document.getElementById(input.getAttribute("list"));
      if (!target || !list) { return; }
      var timer = null;
      var last = "";
      var choose = function () {
        var value = input.value.trim();
        var known = Array.prototype.some.call(list.options, function (option) { return option.value === value; });
        if (!value || !known) { return false; }
        var numbers = target.value.split(/[,，、;；\s]+/).filter(Boolean);
        if (numbers.indexOf(value) < 0) { numbers.push(value); }
        target.value = numbers.join("、");
        target.dispatchEvent(new Event("input", { bubbles: true }));
        input.value = "";
        return true;
      };
      var look = function () {
        var query = input.value.trim();
        if (!query || query === last || navigator.onLine === false) { return; }
        last = query;
        fetch(input.getAttribute("data-url") + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.text() : ""; })
          .then(function (html) {
            if (query !== last) { return; }
            var parsed = new DOMParser().parseFromString("<datalist>" + html + "</datalist>", "text/html");
            list.textContent = "";
            parsed.querySelectorAll("option").forEach(function (option) {
              var copy = document.createElement("option");
              copy.value = option.value;
              copy.textContent = option.textContent;
              list.appendChild(copy);
            });
          })
          .catch(function () { /* offline: numbers can still be typed */ });
      };
      input.addEventListener("input", function () {
        if (choose()) { return; }
        clearTimeout(timer);
        timer = setTimeout(look, 300);
      });
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); choose(); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    pickers();
    var form = document.querySelector("form[data-talk-entry]");
    if (form && window.fetch && window.FormData) { new Entry(form).start(); }
  });
})();
