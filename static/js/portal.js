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
