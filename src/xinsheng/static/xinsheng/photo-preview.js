/* Thumbnails of the photos chosen in a file box that takes images (input[type=file][accept*=image]),
   shown under the box as soon as they are chosen, before anything is sent. The pictures are read
   from the device through blob: addresses (allowed by the Content-Security-Policy); nothing is
   uploaded, no inline script, no eval. Choosing again replaces them; a file that is not an image
   shows its name only. */
(function () {
  "use strict";
  if (window.xinshengPhotoPreview) { return; }  // one listener per page
  window.xinshengPhotoPreview = true;

  function isPhotoBox(element) {
    return element instanceof HTMLInputElement && element.type === "file" &&
      (element.getAttribute("accept") || "").indexOf("image") !== -1;
  }

  function listFor(input) {
    var next = input.nextElementSibling;
    if (next && next.hasAttribute("data-photo-previews")) { return next; }
    var list = document.createElement("ul");
    list.className = "photo-previews";
    list.setAttribute("data-photo-previews", "");
    list.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", list);
    return list;
  }

  function clear(list) {
    list.querySelectorAll("img").forEach(function (img) { URL.revokeObjectURL(img.src); });
    list.textContent = "";
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!isPhotoBox(input)) { return; }
    var list = listFor(input);
    clear(list);
    Array.prototype.forEach.call(input.files || [], function (file) {
      var item = document.createElement("li");
      if (file.type.indexOf("image/") === 0) {
        var img = document.createElement("img");
        img.src = URL.createObjectURL(file);
        img.alt = file.name;
        img.width = 96;
        img.height = 96;
        item.appendChild(img);
      } else {
        item.textContent = file.name;
      }
      list.appendChild(item);
    });
  });
})();
