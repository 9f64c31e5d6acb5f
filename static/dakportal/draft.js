// Drafts kept on the device (#14). A form with data-draft-key (the monev report, filled in at the sentra where the
// connection comes and goes) copies what the user types into localStorage. When the page opens again with unsent
// input, a banner offers to restore or discard it; sending while offline is stopped with a message instead of a
// browser error page. The copy is dropped once a save succeeded (the next page shows a success message).
(function () {
  "use strict";
  const PREFIX = "draft:";
  const MAX_AGE_MS = 14 * 24 * 3600 * 1000;

  function read(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function write(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full or disabled */ }
  }
  function fields(form) {
    return [...form.elements].filter((el) => el.name && el.type !== "file" && el.type !== "hidden" &&
      el.type !== "submit" && el.type !== "button" && el.name !== "csrfmiddlewaretoken");
  }
  function snapshot(form) {
    const values = {};
    fields(form).forEach((el) => {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) (values[el.name] = values[el.name] || []).push(el.value);
      } else if (el.multiple) {
        values[el.name] = [...el.selectedOptions].map((o) => o.value);
      } else {
        values[el.name] = [el.value];
      }
    });
    return values;
  }
  function apply(form, values) {
    fields(form).forEach((el) => {
      const wanted = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") el.checked = wanted.includes(el.value);
      else if (el.multiple) [...el.options].forEach((o) => { o.selected = wanted.includes(o.value); });
      else if (el.name in values) el.value = wanted[0] || "";
    });
  }

  // A save succeeded: forget the drafts that were being sent.
  if (document.querySelector(".alert-success")) {
    Object.keys(window.localStorage).filter((k) => k.startsWith(PREFIX)).forEach((key) => {
      const draft = read(key);
      if (draft && draft.sent) window.localStorage.removeItem(key);
    });
  }
  // Old drafts are not kept forever.
  Object.keys(window.localStorage).filter((k) => k.startsWith(PREFIX)).forEach((key) => {
    const draft = read(key);
    if (!draft || Date.now() - draft.at > MAX_AGE_MS) window.localStorage.removeItem(key);
  });

  document.querySelectorAll("form[data-draft-key]").forEach((form) => {
    const key = form.dataset.draftKey;
    const banner = form.querySelector("[data-testid=draft-banner]");
    const message = banner.querySelector("[data-draft-message]");
    const actions = banner.querySelector("[data-draft-actions]");
    const initial = JSON.stringify(snapshot(form));
    const draft = read(key);

    function show(text, withActions) {
      message.textContent = text;
      actions.classList.toggle("d-none", !withActions);
      banner.classList.remove("d-none");
    }
    if (draft && JSON.stringify(draft.values) !== initial) {
      const time = new Date(draft.at).toLocaleString(document.documentElement.lang || undefined);
      show(banner.dataset.restoreText.replace("%(time)s", time), true);
    }
    banner.querySelector("[data-draft-restore]").addEventListener("click", () => {
      apply(form, draft.values);
      banner.classList.add("d-none");
    });
    banner.querySelector("[data-draft-discard]").addEventListener("click", () => {
      window.localStorage.removeItem(key);
      banner.classList.add("d-none");
    });
    function save() {
      const values = snapshot(form);
      if (JSON.stringify(values) !== initial) write(key, { at: Date.now(), values: values, sent: false });
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", (event) => {
      save();
      if (navigator.onLine === false) {
        event.preventDefault();
        show(banner.dataset.offlineText, false);
        banner.scrollIntoView({ block: "center" });
        return;
      }
      const current = read(key);
      if (current) write(key, Object.assign(current, { sent: true }));
    });
  });
})();
