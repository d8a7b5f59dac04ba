/* The employee's survey form: show a question only after the answer it waits for (its inputs
 * are disabled while hidden, so a hidden answer is never sent), and the polite note when this
 * browser has answered the survey before (nothing is sent anywhere: the note is for the person
 * holding the phone). */
(function () {
  "use strict";
  var STORE = "xinsheng.survey.answered.";

  function chosen(form, questionId) {
    var box = form.querySelector('[data-question="' + questionId + '"]');
    if (!box || box.hidden) { return []; }
    return Array.prototype.map.call(
      box.querySelectorAll("input:checked"), function (input) { return input.value; });
  }

  function update(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (box) {
      var shown = chosen(form, box.dataset.showIf).indexOf(box.dataset.showChoice) !== -1;
      box.hidden = !shown;
      box.querySelectorAll("input, textarea, select").forEach(function (input) {
        input.disabled = !shown;
      });
    });
  }

  function remembered(token) {
    try { return window.localStorage.getItem(STORE + token) === "1"; } catch (e) { return false; }
  }

  function remember(token) {
    try { window.localStorage.setItem(STORE + token, "1"); } catch (e) { /* private mode */ }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-survey]");
    if (form) {
      update(form);
      form.addEventListener("change", function () { update(form); });
      var note = form.querySelector("[data-survey-again]");
      if (note && remembered(form.dataset.survey)) { note.hidden = false; }
    }
    var done = document.querySelector("[data-survey-done]");
    if (done) { remember(done.dataset.surveyDone); }
  });
})();
