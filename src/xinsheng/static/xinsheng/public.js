/* Public pages: a live character counter, a draft kept on the phone until it is sent, a copy
   button, and early checks of photos. No framework, nothing fetched; every text comes from the
   page (data-* attributes), so it is translated with the page. */
(function () {
  "use strict";
  var DRAFT_DAYS = 3;

  function store() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function counters() {
    document.querySelectorAll("textarea[data-counter]").forEach(function (area) {
      var out = document.getElementById(area.getAttribute("data-counter"));
      if (!out) { return; }
      var update = function () { out.textContent = Array.from(area.value).length; };
      area.addEventListener("input", update);
      update();
    });
  }

  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "website" && el.type !== "hidden" && el.type !== "file" &&
        el.type !== "submit" && el.type !== "button";
    });
  }

  function draftSave(form, key) {
    var s = store();
    if (!s) { return; }
    var values = {};
    draftFields(form).forEach(function (el) {
      if (el.type === "radio") { if (el.checked) { values[el.name] = el.value; } }
      else { values[el.name] = el.value; }
    });
    try { s.setItem(key, JSON.stringify({ at: Date.now(), values: values })); } catch (e) { /* full */ }
  }

  function draftRestore(form, key) {
    var s = store();
    var text = form.elements.namedItem("text");
    if (!s || !text || text.value.trim()) { return; }  // the server kept what was typed
    var saved;
    try { saved = JSON.parse(s.getItem(key) || "null"); } catch (e) { saved = null; }
    if (!saved || !saved.values || Date.now() - saved.at > DRAFT_DAYS * 864e5) {
      s.removeItem(key);
      return;
    }
    draftFields(form).forEach(function (el) {
      if (!(el.name in saved.values)) { return; }
      if (el.type === "radio") { el.checked = el.value === saved.values[el.name]; }
      else { el.value = saved.values[el.name]; }
    });
    if (text) { text.dispatchEvent(new Event("input")); }
  }

  function drafts() {
    document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
      var key = form.getAttribute("data-draft-key");
      draftRestore(form, key);
      var timer = null;
      var later = function () { clearTimeout(timer); timer = setTimeout(function () { draftSave(form, key); }, 400); };
      form.addEventListener("input", later);
      form.addEventListener("change", later);
      form.addEventListener("submit", function (event) {
        var bad = form.querySelector("input[type=file][data-max-files]");
        if (bad && bad.validationMessage) {  // the form is novalidate: say it here
          event.preventDefault();
          bad.reportValidity();
          return;
        }
        draftSave(form, key);
        var button = form.querySelector("button[type=submit]");
        if (button && form.getAttribute("data-busy-text")) { button.textContent = form.getAttribute("data-busy-text"); }
      });
    });
    document.querySelectorAll("[data-draft-clear]").forEach(function (el) {
      var s = store();
      if (s) { s.removeItem(el.getAttribute("data-draft-clear")); }
    });
  }

  function copyButtons() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy"));
        var text = source ? (source.getAttribute("data-code") || source.textContent.trim()) : "";
        var done = function () { button.textContent = button.getAttribute("data-copied-text"); };
        var failed = function () {
          var range = document.createRange();
          range.selectNodeContents(source);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          try { if (document.execCommand("copy")) { done(); return; } } catch (e) { /* old */ }
          button.textContent = button.getAttribute("data-failed-text");
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, failed);
        } else {
          failed();
        }
      });
    });
  }

  function photoChecks() {
    document.querySelectorAll("input[type=file][data-max-files]").forEach(function (input) {
      input.addEventListener("change", function () {
        var files = Array.from(input.files || []);
        var message = "";
        if (files.length > Number(input.getAttribute("data-max-files"))) {
          message = input.getAttribute("data-too-many");
        } else if (files.some(function (f) { return f.size > Number(input.getAttribute("data-max-bytes")); })) {
          message = input.getAttribute("data-too-big");
        }
        input.setCustomValidity(message);
        if (message) { input.reportValidity(); }
      });
    });
  }

  /* While an employee types, show recent voices of the company that say the same thing. Only
     the first few hundred characters are sent (enough to match, short enough for a URL). */
  function similarVoices() {
    document.querySelectorAll("[data-similar-for]").forEach(function (box) {
      var area = document.getElementById(box.getAttribute("data-similar-for"));
      if (!area || !window.fetch) { return; }
      var timer = null;
      var last = "";
      var form = area.form;
      var support = form ? form.elements.namedItem("support") : null;
      var chosen = document.createElement("p");
      chosen.className = "supporting";
      chosen.hidden = true;
      box.parentNode.insertBefore(chosen, box.nextSibling);
      var choose = function (item) {
        support.value = item ? item.case_no : "";
        chosen.textContent = "";
        chosen.hidden = !item;
        if (!item) { return; }
        var title = document.createElement("strong");
        title.textContent = item.title;
        chosen.appendChild(title);
        chosen.appendChild(document.createTextNode(" " + box.getAttribute("data-supporting") + " "));
        var cancel = document.createElement("button");
        cancel.type = "button";
        cancel.className = "link";
        cancel.textContent = box.getAttribute("data-cancel");
        cancel.addEventListener("click", function () { choose(null); });
        chosen.appendChild(cancel);
      };
      if (support && support.value) { support.value = ""; }  // a choice is made on this page only
      var show = function (items) {
        box.textContent = "";
        if (!items.length) { box.hidden = true; return; }
        var heading = document.createElement("p");
        heading.textContent = box.getAttribute("data-heading");
        var list = document.createElement("ul");
        items.forEach(function (item) {
          var li = document.createElement("li");
          var title = document.createElement("strong");
          title.textContent = item.title;
          li.appendChild(title);
          var facts = " · " + item.status_label + " · " + item.submitted_on;
          if (item.supporters) { facts += " · " + item.supporters + box.getAttribute("data-supporters"); }
          li.appendChild(document.createTextNode(facts));
          if (item.answer) {
            var answer = document.createElement("p");
            answer.className = "muted";
            answer.textContent = box.getAttribute("data-answer") + item.answer;
            li.appendChild(answer);
          }
          if (item.supportable && support) {
            var button = document.createElement("button");
            button.type = "button";
            button.className = "link";
            button.textContent = box.getAttribute("data-support-text");
            button.addEventListener("click", function () { choose(item); });
            li.appendChild(document.createTextNode(" "));
            li.appendChild(button);
          }
          list.appendChild(li);
        });
        box.appendChild(heading);
        box.appendChild(list);
        box.hidden = false;
      };
      var look = function () {
        var text = Array.from(area.value.trim()).slice(0, 300).join("");
        if (Array.from(text).length < 10) { box.hidden = true; last = ""; return; }
        if (text === last) { return; }
        last = text;
        fetch(box.getAttribute("data-url") + "?text=" + encodeURIComponent(text),
              { headers: { "Accept": "application/json" }, credentials: "omit" })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (items) { if (text === last) { show(items); } })
          .catch(function () { /* offline: the form works without it */ });
      };
      area.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(look, 800); });
      if (area.value.trim()) { look(); }
    });
  }

  function backLinks() {
    document.querySelectorAll("a[data-history-back]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (window.history.length > 1) { event.preventDefault(); window.history.back(); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    backLinks();
    similarVoices();
    counters();
    drafts();
    copyButtons();
    photoChecks();
  });
})();
