// The application form: autosave while typing, a copy in this browser until the server has it,
// word and character counters, budget totals.
(function () {
  "use strict";
  const form = document.getElementById("answers-form");
  if (!form) return;
  const status = document.getElementById("save-status");
  const versionInput = form.querySelector("input[name=version]");
  const locale = form.dataset.locale || "sv";
  const currency = form.dataset.currency || "SEK";
  let timer = null;
  let dirty = false;
  let stopped = false;
  const saves = Boolean(form.dataset.autosaveUrl);  // the administrator's preview has counters and totals, saves nothing

  function say(text, kind) {
    status.textContent = text;
    status.className = "small " + (kind === "error" ? "text-danger fw-bold" : "text-body-secondary");
  }

  // A copy of what is typed stays in this browser until the server confirms it, so a lost
  // connection, a crash or a closed tab loses nothing. It is offered back when the page opens again.
  const backupKey = "fundportal:draft:" + form.dataset.autosaveUrl;
  const banner = document.getElementById("backup-banner");

  function fields() {
    return Array.from(form.elements).filter(function (field) {
      return field.name && field.name !== "csrfmiddlewaretoken" && field.name !== "version" &&
             field.type !== "file" && field.type !== "submit" && field.type !== "button";
    });
  }

  function snapshot() {
    return fields().map(function (field) {
      const checkable = field.type === "checkbox" || field.type === "radio";
      return [field.name, field.value, checkable ? field.checked : null];
    });
  }

  function keepBackup() {
    try {
      localStorage.setItem(backupKey, JSON.stringify({at: new Date().toISOString(), fields: snapshot()}));
    } catch (error) { /* private mode or full storage: the server copy is still tried */ }
  }

  function dropBackup() {
    try { localStorage.removeItem(backupKey); } catch (error) { /* nothing kept */ }
  }

  function restore(saved) {
    const byName = {};
    fields().forEach(function (field) { (byName[field.name] = byName[field.name] || []).push(field); });
    saved.fields.forEach(function (entry) {
      (byName[entry[0]] || []).forEach(function (field) {
        if (entry[2] === null) {
          if (field.type !== "checkbox" && field.type !== "radio") field.value = entry[1];
        } else if (field.value === entry[1]) {
          field.checked = entry[2];
        }
      });
    });
    form.dispatchEvent(new Event("input", {bubbles: true}));
  }

  (function offerBackup() {
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(backupKey) || "null"); } catch (error) { saved = null; }
    if (!saved || !banner) return;
    if (JSON.stringify(saved.fields) === JSON.stringify(snapshot())) { dropBackup(); return; }
    banner.querySelector("[data-backup-time]").textContent = new Date(saved.at).toLocaleString(locale);
    banner.hidden = false;
    banner.querySelector("[data-backup-restore]").addEventListener("click", function () {
      restore(saved);
      banner.hidden = true;
    });
    banner.querySelector("[data-backup-discard]").addEventListener("click", function () {
      dropBackup();
      banner.hidden = true;
    });
  })();

  // One save at a time, each sent with the version the one before it returned: a save that starts while
  // another is on its way waits for it, so the page never sends a version the server has moved past.
  let saving = Promise.resolve();
  let inFlight = 0;

  function send() {
    if (stopped) return Promise.resolve();
    inFlight += 1;
    return fetch(form.dataset.autosaveUrl, {
      method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "error",
      headers: {"X-Requested-With": "fetch"},
    }).then(function (response) {
      return response.json().then(function (data) { return {ok: response.ok, data: data}; });
    }).then(function (result) {
      if (result.ok) {
        versionInput.value = result.data.version;
        dirty = false;
        dropBackup();
        say(result.data.message);
      } else {
        stopped = result.data.status === "conflict";
        say(result.data.message, "error");
      }
    }).catch(function () {
      say(form.dataset.offlineMessage, "error");
    }).finally(function () {
      inFlight -= 1;
    });
  }

  function autosave() {
    clearTimeout(timer);
    saving = saving.then(send);
    return saving;
  }

  let leaving = false;  // the form is on its way to the server: no autosave may overtake it
  form.addEventListener("input", function () {
    if (!saves) return;
    dirty = true;
    keepBackup();
    clearTimeout(timer);
    if (!leaving) timer = setTimeout(autosave, 1500);
  });
  // Pressing Save: a save that was only waiting for the typing to stop is not needed (this submit carries the
  // text); one already on its way is let finish first, and the submit then carries the version it returned.
  let submitting = false;
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    dirty = false;
    if (!inFlight && !submitting) { leaving = true; return; }
    event.preventDefault();
    if (submitting) return;
    submitting = true;
    const button = event.submitter;
    saving.then(function () { submitting = false; form.requestSubmit(button); });
  });
  // Uploading or removing a file leaves the page: what is typed or ticked is saved first, and only then
  // does the file go, so the page that comes back shows both.
  document.querySelectorAll("form[data-saves-answers-first]").forEach(function (other) {
    other.addEventListener("submit", function (event) {
      if (!dirty) return;
      event.preventDefault();
      autosave().then(function () { other.submit(); });
    });
  });
  // Leaving by a link: send what is unsaved on the way out.
  window.addEventListener("pagehide", function () {
    if (dirty && !stopped && !leaving) {
      fetch(form.dataset.autosaveUrl, {method: "POST", body: new FormData(form), credentials: "same-origin", keepalive: true});
    }
  });

  // Counters under text areas with a limit.
  form.querySelectorAll("textarea[data-max-words], textarea[data-max-chars]").forEach(function (area) {
    const counter = document.createElement("div");
    counter.className = "form-text";
    counter.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", counter);
    function update() {
      const words = area.value.trim() ? area.value.trim().split(/\s+/).length : 0;
      const parts = [];
      if (area.dataset.maxWords) parts.push(words + " / " + area.dataset.maxWords + " " + form.dataset.wordsLabel);
      if (area.dataset.maxChars) parts.push(area.value.length + " / " + area.dataset.maxChars + " " + form.dataset.charactersLabel);
      counter.textContent = parts.join(" · ");
      const over = (area.dataset.maxWords && words > +area.dataset.maxWords) ||
                   (area.dataset.maxChars && area.value.length > +area.dataset.maxChars);
      counter.classList.toggle("text-danger", !!over);
    }
    area.addEventListener("input", update);
    update();
  });

  // Budget tables: totals per row, per year and in all, in the call's currency.
  const money = new Intl.NumberFormat(locale === "nb" ? "nb-NO" : locale === "sv" ? "sv-SE" : "en-GB",
                                      {style: "currency", currency: currency, maximumFractionDigits: 0});
  form.querySelectorAll("table[data-budget]").forEach(function (table) {
    function total() {
      const rows = Array.from(table.tBodies[0].rows);
      const years = rows.length ? rows[0].querySelectorAll("input").length : 0;
      const columns = new Array(years).fill(0);
      let all = 0;
      rows.forEach(function (row) {
        let sum = 0;
        row.querySelectorAll("input").forEach(function (input, index) {
          const value = parseFloat(input.value) || 0;
          sum += value; columns[index] += value;
        });
        all += sum;
        row.querySelector("[data-row-total]").textContent = money.format(sum);
      });
      table.querySelectorAll("[data-column-total]").forEach(function (cell, index) {
        cell.textContent = money.format(columns[index]);
      });
      table.querySelector("[data-grand-total]").textContent = money.format(all);
    }
    table.addEventListener("input", total);
    total();
  });
})();
