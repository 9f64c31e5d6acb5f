// The sentra map (#14): points from the API's GeoJSON (the page's filters, the user's scope), one colour per
// operating status, a popup that links to the sentra. Tiles are optional: without them (offline, or MAP_TILES
// empty) the points still show on a plain background.
(function () {
  "use strict";
  var box = document.getElementById("sentra-map");
  if (!box || typeof L === "undefined") { return; }
  var COLOURS = {planned: "#6c757d", construction: "#fd7e14", built: "#dc3545", operating: "#198754", inactive: "#212529"};
  // Canvas: 20,000 points draw at once where as many SVG elements would not.
  var map = L.map(box, {preferCanvas: true}).setView([-2.5, 118], 5);
  box.leafletMap = map;  // for the browser tests (and the curious in the console)
  if (box.dataset.tiles) {
    L.tileLayer(box.dataset.tiles, {maxZoom: 18, attribution: box.dataset.attribution}).addTo(map);
  }
  fetch(box.dataset.source, {credentials: "same-origin", headers: {Accept: "application/geo+json"}})
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          var colour = COLOURS[feature.properties.status] || "#0d6efd";
          return L.circleMarker(latlng, {radius: 6, color: colour, fillColor: colour, fillOpacity: 0.8, weight: 1});
        },
        onEachFeature: function (feature, marker) {
          var p = feature.properties;
          var link = document.createElement("a");
          link.href = p.url;
          link.textContent = p.name;
          var text = document.createElement("div");
          text.append(link, document.createElement("br"), p.regency_name + " · " + p.completeness + "%");
          marker.bindPopup(text);
        }
      }).addTo(map);
      box.dataset.points = String(data.features.length);
      if (data.features.length) { map.fitBounds(layer.getBounds(), {maxZoom: 12, padding: [20, 20]}); }
    });
})();
