/* The picker of units in charge on the person form (no inline script: see base.html).

   A unit ticked among the suggestions moves up to the chosen ones, so that the next search
   does not take it away, and the search box is emptied, so that saving does not read the
   search words as a unit. Without script the box still takes codes typed into it. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox" || !box.checked) {
      return;
    }
    var options = box.closest("[data-charge-options]");
    var picker = box.closest("[data-charge-picker]");
    if (!options || !picker) {
      return;
    }
    var chosen = picker.querySelector("[data-charge-chosen]");
    var label = box.closest("label");
    if (chosen && label) {
      var empty = chosen.querySelector("[data-charge-empty]");
      if (empty) {
        empty.remove();
      }
      var same = chosen.querySelector('input[value="' + CSS.escape(box.value) + '"]');
      if (same) {
        same.checked = true;
        label.remove();
      } else {
        chosen.appendChild(label);
      }
    }
    var search = picker.querySelector("[data-charge-search]");
    if (search) {
      search.value = "";
    }
  });
})();
