/* The bank's question form: a true-or-false question has the options 正确 and 错误 of its own,
 * so the option boxes are hidden while that type is chosen (their contents are kept, and the
 * server ignores them for that type). */
(function () {
  "use strict";

  function update(kind) {
    var hide = kind.value === "true_false";
    document.querySelectorAll('[name^="option_"]').forEach(function (input) {
      var row = input.closest(".form-row");
      if (row) { row.style.display = hide ? "none" : ""; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var kind = document.getElementById("id_kind");
    if (!kind) { return; }
    kind.addEventListener("change", function () { update(kind); });
    update(kind);
  });
})();
