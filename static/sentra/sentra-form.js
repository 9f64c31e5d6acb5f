// Sentra form: when the kab/kota changes, load its desa/kelurahan (grouped by kecamatan) into the location field.
(function () {
  "use strict";
  const regency = document.querySelector("select[data-role=regency]");
  const village = document.querySelector("select[data-villages-url]");
  if (!regency || !village) return;
  regency.addEventListener("change", async function () {
    village.innerHTML = "";
    village.append(new Option("---------", ""));
    if (!regency.value) return;
    const url = village.dataset.villagesUrl + "?regency=" + encodeURIComponent(regency.value);
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return;
    const groups = new Map();
    for (const row of (await response.json()).villages) {
      if (!groups.has(row.district)) {
        const group = document.createElement("optgroup");
        group.label = row.district;
        groups.set(row.district, group);
        village.append(group);
      }
      groups.get(row.district).append(new Option(row.name + " (" + row.code + ")", row.code));
    }
  });
})();
