// The region filter (#14): a select[data-region-select] of the kab/kota or provinces in the user's scope gets a
// search box above it; typing narrows the options to those whose name or code matches, Enter (or a single match)
// chooses the first, ArrowDown moves to the list. Without JavaScript the select works alone. The choices are the
// page's own (scoped on the server): nothing is fetched.
(function () {
  "use strict";
  const MIN_OPTIONS = 8; // a short list needs no search box
  let counter = 0;
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  for (const select of document.querySelectorAll("select[data-region-select]")) {
    if (select.options.length < MIN_OPTIONS) continue;
    counter += 1;
    const label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    const name = label ? label.textContent.trim() : select.name;
    const search = document.createElement("input");
    search.type = "search";
    search.id = (select.id || "region") + "-search";
    search.className = "form-control form-control-sm mb-1";
    search.placeholder = (document.documentElement.lang === "en" ? "Type to find: " : "Ketik untuk mencari: ") + name;
    search.setAttribute("aria-label", search.placeholder);
    search.setAttribute("aria-controls", select.id);
    search.autocomplete = "off";
    search.dataset.testid = "region-search";
    const status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.id = "region-status-" + counter;
    search.setAttribute("aria-describedby", status.id);
    select.before(search);
    select.after(status);
    const options = Array.from(select.options).map(function (option) {
      return { option: option, text: fold(option.text + " " + option.value), empty: option.value === "" };
    });
    function matches() {
      return options.filter(function (entry) { return !entry.empty && !entry.option.hidden; });
    }
    function choose(entry) {
      if (!entry) return;
      select.value = entry.option.value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    search.addEventListener("input", function () {
      const words = fold(search.value).split(/\s+/).filter(Boolean);
      for (const entry of options) {
        entry.option.hidden = !entry.empty && !words.every(function (word) { return entry.text.includes(word); });
      }
      const found = matches();
      status.textContent = found.length + (document.documentElement.lang === "en" ? " found" : " ditemukan");
      if (found.length === 1) choose(found[0]);
      select.size = words.length && found.length > 1 ? Math.min(found.length + 1, 8) : 0;
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        choose(matches()[0]);
        select.size = 0;
        select.focus();
      } else if (event.key === "ArrowDown") {
        event.preventDefault();
        select.focus();
      }
    });
    select.addEventListener("change", function () { select.size = 0; });
  }
})();
