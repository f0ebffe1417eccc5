// Forms marked data-confirm ask before they are sent (no inline handlers, so the pages work under a strict CSP).
// base.html loads this on every page; a page that loads it once more still asks once.
(function () {
  "use strict";
  if (window.portalConfirmsForms) return;
  window.portalConfirmsForms = true;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
})();
