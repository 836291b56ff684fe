(function () {
  "use strict";
  // The timeline's grouping: by section (default) or by lead unit; both are drawn, one shown.
  var buttons = document.querySelectorAll("[data-group-toggle]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener("click", function () {
      var chosen = button.getAttribute("data-group-toggle");
      Array.prototype.forEach.call(buttons, function (other) {
        other.setAttribute("aria-pressed", String(other === button));
      });
      Array.prototype.forEach.call(document.querySelectorAll("[data-grouping]"), function (box) {
        box.hidden = box.getAttribute("data-grouping") !== chosen;
      });
    });
  });
  // On a phone the outline starts folded, so the page opens on its content.
  if (window.matchMedia && window.matchMedia("(max-width: 800px)").matches) {
    Array.prototype.forEach.call(document.querySelectorAll("nav.outline details"), function (d) {
      d.open = false;
    });
  }
})();
