// Behaviours every page shares (#14). A table wider than the screen scrolls sideways inside its box; the box is
// made reachable with the keyboard (WCAG 2.1.1, axe's scrollable-region-focusable) only when it really scrolls,
// so that a phone user's tab order is not padded with boxes that hold nothing hidden.
(function () {
  "use strict";
  function markScrollable() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", markScrollable);
  window.addEventListener("resize", markScrollable);
})();
