// "Prioritas monev" (#17): each kab/kota of the ranking as a point where its sentra are, coloured by its risk
// score (the same bands as the table's badges), with a popup that links to its region profile. No tiles needed.
(function () {
  "use strict";
  var box = document.getElementById("risk-map");
  var source = box && document.getElementById(box.dataset.source);
  if (!box || !source || typeof L === "undefined") { return; }
  var points = JSON.parse(source.textContent);
  var map = L.map(box, {preferCanvas: true}).setView([-2.5, 118], 4);
  box.leafletMap = map;
  var layer = L.featureGroup();
  points.forEach(function (p) {
    var colour = p.score >= 10 ? "#dc3545" : (p.score >= 5 ? "#fd7e14" : "#6c757d");
    var marker = L.circleMarker([p.lat, p.lng], {
      radius: Math.min(6 + p.score, 18), color: colour, fillColor: colour, fillOpacity: 0.7, weight: 1
    });
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.name + " · " + p.score;
    marker.bindPopup(link);
    layer.addLayer(marker);
  });
  layer.addTo(map);
  box.dataset.points = String(points.length);
  if (points.length) { map.fitBounds(layer.getBounds(), {maxZoom: 9, padding: [20, 20]}); }
})();
