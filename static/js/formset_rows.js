// Set-up pages (periods, criteria, …): "Add a row" copies the formset's empty row into the page.
// Without JavaScript the same button asks the server for the page with one more row.
(function () {
  "use strict";
  document.querySelectorAll("form[data-formset]").forEach(function (form) {
    const template = form.querySelector("template[data-empty-row]");
    const rows = form.querySelector("[data-rows]");
    const total = form.querySelector("input[name$='-TOTAL_FORMS']");
    const button = form.querySelector("[data-add-row]");
    if (!template || !rows || !total || !button) return;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      const index = parseInt(total.value, 10) || 0;
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
      total.value = String(index + 1);
      const first = rows.lastElementChild.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
  });
})();
