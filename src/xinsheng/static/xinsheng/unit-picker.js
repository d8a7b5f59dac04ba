/* Unit pickers (org/widgets/unit_picker.html): htmx fills the list of units found as one types;
   this script takes the one tapped, keeps its code beside the text, and forgets it as soon as the
   text changes, so that what is sent is always what the box says.
     [data-unit-picker]          the picker
     [data-unit-picker-text]     the text box (name, code or path)
     [data-unit-picker-choice]   the code of the unit chosen (hidden)
     [data-unit-picker-list]     where htmx puts the units found (buttons with data-unit-code)
     [data-unit-picker-choices]  the radio buttons the server sent after an unclear text
     [data-unit-picker-status]   says which unit is chosen */
(function () {
  "use strict";
  if (window.xinshengUnitPicker) { return; }  // one listener per page, however many pickers
  window.xinshengUnitPicker = true;

  function part(picker, name) {
    return picker.querySelector("[data-unit-picker-" + name + "]");
  }

  function setExpanded(picker) {
    var list = part(picker, "list");
    var text = part(picker, "text");
    if (list && text) {
      var open = list.querySelector("[data-unit-code]") !== null;
      text.setAttribute("aria-expanded", open ? "true" : "false");
    }
  }

  function close(picker) {
    var list = part(picker, "list");
    if (list) { list.innerHTML = ""; }
    setExpanded(picker);
  }

  function choiceField(picker) {
    var choice = part(picker, "choice");
    if (!choice) {  // the radio buttons held the choice: a hidden field takes their place
      var text = part(picker, "text");
      choice = document.createElement("input");
      choice.type = "hidden";
      choice.name = text.name + "_choice";
      choice.setAttribute("data-unit-picker-choice", "");
      text.insertAdjacentElement("afterend", choice);
    }
    return choice;
  }

  function choose(picker, button) {
    var choices = part(picker, "choices");
    if (choices) { choices.remove(); }
    part(picker, "text").value = button.getAttribute("data-unit-trail");
    choiceField(picker).value = button.getAttribute("data-unit-code");
    var status = part(picker, "status");
    if (status) {
      status.textContent = (status.getAttribute("data-chosen") || "") + button.getAttribute("data-unit-trail");
    }
    picker.classList.add("is-chosen");
    close(picker);
    // A form that updates itself on change (the ledger's filters) hears of the unit chosen.
    choiceField(picker).dispatchEvent(new Event("change", { bubbles: true }));
  }

  // Half-typed text is no unit yet: its change does not reach a form that updates itself;
  // the choice (above), Enter or the form's button sends it.
  document.addEventListener("change", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (target && target.hasAttribute("data-unit-picker-text")) { event.stopPropagation(); }
  }, true);

  document.addEventListener("input", function (event) {
    var text = event.target;
    if (!(text instanceof HTMLInputElement) || !text.hasAttribute("data-unit-picker-text")) { return; }
    var picker = text.closest("[data-unit-picker]");
    var choice = part(picker, "choice");
    if (choice) { choice.value = ""; }
    picker.classList.remove("is-chosen");
    var status = part(picker, "status");
    if (status) { status.textContent = ""; }
  });

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var button = target && target.closest("[data-unit-picker] [data-unit-code]");
    if (button) {
      event.preventDefault();
      choose(button.closest("[data-unit-picker]"), button);
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var picker = target && target.closest("[data-unit-picker]");
    if (!picker) { return; }
    var buttons = Array.prototype.slice.call(part(picker, "list").querySelectorAll("[data-unit-code]"));
    var at = buttons.indexOf(target);
    if (event.key === "Escape") {
      close(picker);
      part(picker, "text").focus();
    } else if (event.key === "ArrowDown" && buttons.length) {
      event.preventDefault();
      buttons[Math.min(at + 1, buttons.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? part(picker, "text") : buttons[at - 1]).focus();
    } else if (event.key === "Enter" && target.hasAttribute("data-unit-picker-text") && buttons.length === 1) {
      event.preventDefault();  // one unit found: Enter takes it rather than sending the form
      choose(picker, buttons[0]);
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var picker = target && target.closest("[data-unit-picker]");
    if (picker) { setExpanded(picker); }
  });
})();
