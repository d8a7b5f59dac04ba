/* Staff pages: the behaviour the templates ask for through data-* attributes, so that no page
   needs inline script (the Content-Security-Policy refuses it).
     data-nav-toggle       a button that opens and closes the side menu
     data-autosubmit       a field whose change submits its form (the language picker)
     data-print            a button that prints the page
     data-confirm="…"      a form that asks before it is sent
     data-current-query    a link that carries the page's current query string when followed */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    var toggle = target.closest("[data-nav-toggle]");
    if (toggle) {
      var open = document.body.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      return;
    }
    if (target.closest("[data-print]")) {
      window.print();
      return;
    }
    var link = target.closest("a[data-current-query]");
    if (link) {
      link.search = window.location.search;
    }
  });

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof Element && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.submit();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm") &&
        !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
