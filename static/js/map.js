/*
 * Maps of the social map (Leaflet). Progressive enhancement: the page works without this file;
 * the list next to the map is the primary content.
 *
 * Markup: an element with class "sb-map" and data-map-json="<id of a <script type=application/json>>"
 * inside a wrapper with data-map-wrapper (hidden until the map is built). The JSON:
 *   {"place": {"lat", "lon", "label"} | null,
 *    "markers": [{"lat", "lon", "title", "url", "subtitle"}],
 *    "polygon": <GeoJSON geometry> | null,
 *    "labels": {"place": "..."}}
 * Tiles: data-tile-url / data-tile-attribution; when the URL is empty or tiles fail to load,
 * the markers (and polygon) still show on a plain background.
 * Maps are (re)built on page load and on every htmx swap (htmx:load).
 */
(function () {
  "use strict";

  function readData(el) {
    var script = document.getElementById(el.getAttribute("data-map-json"));
    if (!script) return null;
    try {
      return JSON.parse(script.textContent);
    } catch (e) {
      return null;
    }
  }

  function popupContent(marker) {
    // Built with DOM methods: names come from the data and are never parsed as HTML.
    var box = document.createElement("div");
    var title = document.createElement(marker.url ? "a" : "strong");
    title.textContent = marker.title;
    if (marker.url) title.setAttribute("href", marker.url);
    box.appendChild(title);
    if (marker.subtitle) {
      var sub = document.createElement("div");
      sub.textContent = marker.subtitle;
      box.appendChild(sub);
    }
    return box;
  }

  function build(el) {
    if (el.getAttribute("data-map-ready") || typeof window.L === "undefined") return;
    var data = readData(el);
    if (!data) return;
    var L = window.L;
    var wrapper = el.closest("[data-map-wrapper]");
    if (wrapper) wrapper.hidden = false;
    el.setAttribute("data-map-ready", "1");

    var map = L.map(el, { scrollWheelZoom: false });
    var tileUrl = el.getAttribute("data-tile-url");
    if (tileUrl) {
      var tiles = L.tileLayer(tileUrl, {
        attribution: el.getAttribute("data-tile-attribution") || "",
        maxZoom: 19,
        minZoom: 6,
        crossOrigin: true
      });
      tiles.on("tileerror", function () {
        el.classList.add("sb-map--no-tiles");
      });
      tiles.addTo(map);
    }

    var icon = L.icon({
      iconUrl: el.getAttribute("data-icon-url"),
      iconRetinaUrl: el.getAttribute("data-icon-retina-url"),
      shadowUrl: el.getAttribute("data-shadow-url"),
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41]
    });

    var bounds = [];
    if (data.polygon) {
      var area = L.geoJSON(data.polygon, {
        style: { color: "#005a66", weight: 3, fillColor: "#005a66", fillOpacity: 0.08 }
      }).addTo(map);
      var areaBounds = area.getBounds();
      if (areaBounds.isValid()) {
        bounds.push(areaBounds.getSouthWest(), areaBounds.getNorthEast());
      }
    }
    (data.markers || []).forEach(function (m) {
      if (typeof m.lat !== "number" || typeof m.lon !== "number") return;
      L.marker([m.lat, m.lon], { icon: icon, title: m.title, alt: m.title })
        .bindPopup(popupContent(m))
        .addTo(map);
      bounds.push(L.latLng(m.lat, m.lon));
    });
    if (data.place && typeof data.place.lat === "number") {
      var label = (data.labels && data.labels.place ? data.labels.place + ": " : "") + data.place.label;
      L.circleMarker([data.place.lat, data.place.lon], {
        radius: 9, color: "#ffffff", weight: 3, fillColor: "#a4001d", fillOpacity: 1
      }).bindTooltip(label).addTo(map);
      bounds.push(L.latLng(data.place.lat, data.place.lon));
    }

    if (bounds.length === 1) {
      map.setView(bounds[0], 15);
    } else if (bounds.length > 1) {
      map.fitBounds(L.latLngBounds(bounds), { padding: [24, 24], maxZoom: 16 });
    } else {
      map.setView([52.37, 4.89], 12);
    }
  }

  function buildAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var maps = scope.querySelectorAll(".sb-map[data-map-json]");
    for (var i = 0; i < maps.length; i++) build(maps[i]);
    if (scope.matches && scope.matches(".sb-map[data-map-json]")) build(scope);
  }

  document.addEventListener("htmx:load", function (event) {
    buildAll(event.target);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { buildAll(document); });
  } else {
    buildAll(document);
  }
})();
