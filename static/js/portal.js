// On every page: signing out forgets the copies of unsaved answers this browser kept (a shared computer).
(function () {
  "use strict";
  document.querySelectorAll("form[data-sign-out]").forEach(function (form) {
    form.addEventListener("submit", function () {
      try {
        Object.keys(localStorage).filter(function (key) { return key.indexOf("fundportal:draft:") === 0; })
          .forEach(function (key) { localStorage.removeItem(key); });
      } catch (error) { /* nothing kept */ }
    });
  });
})();

// Progress bars (an export, a bulk decision) name how far they are in data-progress, since the Content-Security-Policy
// allows no style attribute: the width is set here, on the page and on each part htmx swaps in as it refreshes.
(function () {
  "use strict";
  htmx.onLoad(function (root) {
    var bars = Array.from(root.querySelectorAll("[data-progress]"));
    if (root.matches && root.matches("[data-progress]")) bars.push(root);
    bars.forEach(function (bar) { bar.style.width = bar.dataset.progress + "%"; });
  });
})();
