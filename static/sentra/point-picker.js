// The point picker of the sentra form (#14): tap the map (or drag the marker) to fill the latitude and longitude,
// or take the device's position when the officer stands at the sentra. Typing the numbers still works and moves
// the marker. Without tiles (offline, or MAP_TILES empty) the map is a plain grid and the buttons still work.
(function () {
  "use strict";
  const box = document.getElementById("point-picker");
  const latitude = document.getElementById("id_latitude");
  const longitude = document.getElementById("id_longitude");
  if (!box || !latitude || !longitude || typeof L === "undefined") return;
  const status = document.querySelector("[data-picker-status]");
  const here = document.querySelector("[data-testid=use-my-position]");

  const map = L.map(box).setView([-2.5, 118], 4);
  box.leafletMap = map;  // for the browser tests
  if (box.dataset.tiles) {
    L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
  }
  let marker = null;

  function current() {
    const lat = parseFloat(latitude.value);
    const lng = parseFloat(longitude.value);
    return Number.isFinite(lat) && Number.isFinite(lng) ? L.latLng(lat, lng) : null;
  }
  function place(point, zoom) {
    if (!marker) {
      marker = L.marker(point, { draggable: true, keyboard: true, title: box.getAttribute("aria-label") }).addTo(map);
      marker.on("dragend", () => fill(marker.getLatLng()));
    } else {
      marker.setLatLng(point);
    }
    if (zoom) map.setView(point, Math.max(map.getZoom(), zoom));
  }
  function fill(point) {
    latitude.value = point.lat.toFixed(6);
    longitude.value = point.lng.toFixed(6);
    [latitude, longitude].forEach((input) => input.dispatchEvent(new Event("change", { bubbles: true })));
  }

  const start = current();
  if (start) place(start, 14);
  map.on("click", (event) => { place(event.latlng, 0); fill(event.latlng); });
  [latitude, longitude].forEach((input) => input.addEventListener("input", () => {
    const point = current();
    if (point) place(point, 12);
  }));

  if (!navigator.geolocation) here.classList.add("d-none");
  here.addEventListener("click", () => {
    status.textContent = here.dataset.locatingText;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const point = L.latLng(position.coords.latitude, position.coords.longitude);
        place(point, 16);
        fill(point);
        status.textContent = "";
      },
      () => { status.textContent = here.dataset.failedText; },
      { enableHighAccuracy: true, timeout: 15000 }
    );
  });
})();
