// Forms marked data-confirm ask before they are sent (no inline handlers, so the pages work under a strict CSP); a
// submit button marked data-confirm asks when that button sends its form. base.html loads this on every page; a page
// that loads it once more still asks once.
(function () {
  "use strict";
  if (window.portalConfirmsForms) return;
  window.portalConfirmsForms = true;
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
