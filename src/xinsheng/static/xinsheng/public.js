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
        var text = source ? source.textContent.trim() : "";
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

  document.addEventListener("DOMContentLoaded", function () {
    counters();
    drafts();
    copyButtons();
    photoChecks();
  });
})();
