// A staff session ends after a while without activity (fundportal/sessions.py). This script, on the pages of a
// person with an idle timeout, warns before the end (templates/fundportal/_session_timeout.html), keeps the session
// when asked, counts the time in this browser across its tabs (one active tab keeps the others), and keeps what is
// typed on the page when the time runs out, putting it back once the person has signed in again.
(function () {
  "use strict";
  const dialog = document.getElementById("session-warning");
  if (!dialog) return;
  const BACKGROUND = {"X-Portal-Background": "1", "X-Requested-With": "fetch"};
  const url = dialog.dataset.sessionUrl;
  const warning = Number(dialog.dataset.sessionWarning) * 1000;
  const clockKey = "fundportal:session:" + dialog.dataset.sessionPerson;
  // Under the prefix the portal's "Sign out" forgets (static/js/portal.js): a shared computer keeps nothing.
  const typedKey = "fundportal:draft:signed-out:" + dialog.dataset.sessionPerson + ":" + location.pathname + location.search;
  const token = dialog.querySelector("input[name=csrfmiddlewaretoken]").value;
  const stayButton = dialog.querySelector("[data-session-stay]");
  const modal = bootstrap.Modal.getOrCreateInstance(dialog);
  const SKIPPED = ["hidden", "password", "file", "submit", "button", "reset"];
  let clock = null;  // {ends: ms since the epoch, renewable: whether activity moves the end}
  let timer = null;
  let shown = false;
  let asking = false;
  let lastSent = Date.now();

  // Polls (htmx "every 2s" on the progress pages) are not a person's activity: the server does not count them.
  document.body.addEventListener("htmx:configRequest", function (event) {
    if (/(^|,)\s*every\s/.test(event.detail.elt.getAttribute("hx-trigger") || "")) {
      event.detail.headers["X-Portal-Background"] = "1";
    }
  });

  function read() {
    try { return JSON.parse(localStorage.getItem(clockKey)) || clock; } catch (error) { return clock; }
  }

  function keep(remaining, renewable) {
    clock = {ends: Date.now() + remaining * 1000, renewable: renewable};
    try { localStorage.setItem(clockKey, JSON.stringify(clock)); } catch (error) { /* this tab counts alone */ }
    schedule();
  }

  function schedule() {
    clearTimeout(timer);
    const now = Date.now();
    const current = read();
    if (now >= current.ends) { timeIsUp(); return; }
    if (now >= current.ends - warning) show(current); else hide();
    const next = now < current.ends - warning ? current.ends - warning : current.ends;
    timer = setTimeout(schedule, Math.min(next - now, 30000));  // a sleeping laptop wakes to a fresh look
  }

  function show(current) {
    const time = new Date(current.ends).toLocaleTimeString(document.documentElement.lang, {hour: "2-digit", minute: "2-digit"});
    dialog.querySelectorAll("[data-session-ends]").forEach(function (element) { element.textContent = time; });
    dialog.querySelector("[data-session-idle]").hidden = !current.renewable;
    dialog.querySelector("[data-session-lifetime]").hidden = current.renewable;
    stayButton.hidden = !current.renewable;
    if (!shown) { shown = true; modal.show(); }
  }

  function hide() {
    if (shown) { shown = false; modal.hide(); }
  }

  dialog.addEventListener("shown.bs.modal", function () {
    (stayButton.hidden ? dialog.querySelector("[data-sign-out] button") : stayButton).focus();
  });

  // The server's answer: the time left, or that the session is over (then to the sign-in page it names).
  function answered(response) {
    return response.json().then(function (data) {
      if (data.status === "signed-out") {
        clock = {ends: 0, renewable: false};
        try { localStorage.setItem(clockKey, JSON.stringify(clock)); } catch (error) { /* other tabs find out alone */ }
        location.assign(data.login_url);
      } else if (data.remaining !== null) {
        keep(data.remaining, data.renewable);
      }
    });
  }

  function stay() {
    lastSent = Date.now();
    return fetch(url, {method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": token, "X-Requested-With": "fetch"}})
      .then(answered).catch(function () { /* no connection: the warning stays */ });
  }

  stayButton.addEventListener("click", stay);

  // The end as this browser counts it: keep what is typed, then ask the server (not as activity), which signs the
  // person out — unless another tab or request kept the session meanwhile.
  function timeIsUp() {
    if (asking) return;
    asking = true;
    keepTyped();
    fetch(url, {credentials: "same-origin", headers: BACKGROUND}).then(answered).then(function () {
      if (Date.now() < read().ends) forgetTyped();
    }).catch(function () {
      timer = setTimeout(schedule, 30000);  // no connection: ask again
    }).finally(function () { asking = false; });
  }

  // Typing is activity, though it sends no request: once a minute at most, it tells the server.
  document.addEventListener("input", function (event) {
    if (dialog.contains(event.target) || !read().renewable || Date.now() - lastSent < 60000) return;
    if (Date.now() < read().ends) stay();
  });

  // A form sent after the end reaches a signed-out server: keep what it carries first.
  document.addEventListener("submit", function () {
    if (Date.now() >= read().ends) keepTyped();
  }, true);

  window.addEventListener("storage", function (event) {
    if (event.key === clockKey && event.newValue) { clock = JSON.parse(event.newValue); schedule(); }
  });

  // What is typed: each POST form's fields that differ from what the page came with (the application form
  // keeps its own copy, static/js/application_form.js).
  function postForms() {
    return Array.from(document.querySelectorAll("form")).filter(function (form) {
      return form.method === "post" && form.id !== "answers-form" && !form.hasAttribute("data-sign-out");
    });
  }

  function changed(field) {
    if (!field.name || SKIPPED.indexOf(field.type) !== -1 || field.disabled) return null;
    if (field.tagName === "SELECT") {
      const differs = Array.from(field.options).some(function (option) { return option.selected !== option.defaultSelected; });
      return differs ? Array.from(field.selectedOptions).map(function (option) { return option.value; }) : null;
    }
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked ? field.checked : null;
    return field.value !== field.defaultValue ? field.value : null;
  }

  function keepTyped() {
    const forms = postForms().map(function (form, index) {
      const fields = Array.from(form.elements).map(function (field, position) {
        const value = changed(field);
        return value === null ? null : [position, field.name, value];
      }).filter(Boolean);
      return {index: index, action: form.getAttribute("action") || "", fields: fields};
    }).filter(function (form) { return form.fields.length; });
    try {
      if (forms.length) localStorage.setItem(typedKey, JSON.stringify({at: Date.now(), forms: forms}));
    } catch (error) { /* private mode or full storage: nothing can be kept */ }
  }

  function forgetTyped() {
    try { localStorage.removeItem(typedKey); } catch (error) { /* nothing kept */ }
  }

  (function putTypedBack() {
    let kept = null;
    try { kept = JSON.parse(localStorage.getItem(typedKey) || "null"); } catch (error) { kept = null; }
    forgetTyped();
    if (!kept || Date.now() - kept.at > 24 * 60 * 60 * 1000) return;
    const forms = postForms();
    kept.forms.forEach(function (saved) {
      const form = forms[saved.index];
      if (!form || (form.getAttribute("action") || "") !== saved.action) return;
      saved.fields.forEach(function (entry) {
        const field = form.elements[entry[0]];
        if (!field || field.name !== entry[1]) return;
        if (field.tagName === "SELECT") {
          Array.from(field.options).forEach(function (option) { option.selected = entry[2].indexOf(option.value) !== -1; });
        } else if (field.type === "checkbox" || field.type === "radio") {
          field.checked = entry[2];
        } else {
          field.value = entry[2];
        }
      });
      form.insertAdjacentElement("beforebegin", document.getElementById("session-restored").content.firstElementChild.cloneNode(true));
      form.dispatchEvent(new Event("input", {bubbles: true}));
    });
  })();

  keep(Number(dialog.dataset.sessionRemaining), dialog.dataset.sessionRenewable === "true");
})();
