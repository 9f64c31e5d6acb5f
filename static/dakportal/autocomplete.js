// Search-as-you-type for select[data-autocomplete-url] (#10): a search box above the select fetches at most 20
// matching choices from the portal's scoped endpoint ({"results": [{"id", "text"}]}) into the select, so a page
// never carries every sentra of the country. A multiple select (#13) keeps what is chosen and adds the matches.
(function () {
  "use strict";
  for (const select of document.querySelectorAll("select[data-autocomplete-url]")) {
    const search = document.createElement("input");
    search.type = "search";
    search.className = "form-control form-control-sm mb-1";
    search.placeholder = select.dataset.placeholder || "Cari…";
    search.setAttribute("aria-label", search.placeholder);
    search.autocomplete = "off";
    select.before(search);
    let timer = null;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(async function () {
        const url = select.dataset.autocompleteUrl + "?q=" + encodeURIComponent(search.value);
        const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (!response.ok) return;
        const rows = (await response.json()).results;
        if (select.multiple) {
          for (const option of Array.from(select.options)) if (!option.selected) option.remove();
          const kept = new Set(Array.from(select.options, function (option) { return option.value; }));
          for (const row of rows) if (!kept.has(String(row.id))) select.append(new Option(row.text, row.id));
          return;
        }
        const chosen = select.value;
        select.innerHTML = "";
        select.append(new Option("---------", ""));
        for (const row of rows) {
          select.append(new Option(row.text, row.id, false, String(row.id) === chosen));
        }
        if (select.options.length === 2) select.selectedIndex = 1;
      }, 250);
    });
  }
})();
