/* briefgen serve: reload after a rebuild, keeping the scroll position. Never in `briefgen build` output. */
(function () {
  "use strict";
  var script = document.currentScript;
  var generation = script ? script.getAttribute("data-generation") : null;
  var key = "briefgen-scroll:" + location.pathname;
  function restore() {
    var saved = sessionStorage.getItem(key);
    if (saved !== null) {
      sessionStorage.removeItem(key);
      window.scrollTo(0, parseInt(saved, 10) || 0);
    }
  }
  if (document.readyState === "complete") { restore(); } else { window.addEventListener("load", restore); }
  if (!window.EventSource) { return; }
  var events = new EventSource("/__briefgen/events");
  events.addEventListener("generation", function (event) {
    if (event.data !== generation) {
      sessionStorage.setItem(key, String(Math.round(window.scrollY)));
      events.close();
      location.reload();
    }
  });
})();
