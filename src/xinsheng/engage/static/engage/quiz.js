// The quiz page: a countdown that submits when time is up, and the count of questions answered.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form) { return; }
  var clock = document.getElementById("quiz-clock");
  var answered = document.getElementById("quiz-answered");
  var left = parseInt(form.getAttribute("data-seconds-left"), 10) || 0;
  var deadline = Date.now() + left * 1000;
  var sent = false;

  function show(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    clock.textContent = m + ":" + (s < 10 ? "0" : "") + s;
  }
  function tick() {
    var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    show(seconds);
    if (seconds <= 0 && !sent) {
      sent = true;
      form.submit();
      return;
    }
    window.setTimeout(tick, 1000);
  }
  function count() {
    var done = 0;
    form.querySelectorAll("fieldset[data-question]").forEach(function (set) {
      if (set.querySelector("input:checked")) { done += 1; }
    });
    answered.textContent = String(done);
  }
  form.addEventListener("change", count);
  form.addEventListener("submit", function () { sent = true; });
  count();
  tick();
}());
