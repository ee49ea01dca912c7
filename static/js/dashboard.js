// The dashboard table polls itself (hx-trigger="every 5s" on #dashboard-table). This script keeps
// the polling from doing what a person would not:
// - no polls while the tab is hidden or nobody has touched the page for a while, so an unattended
//   screen lets the session run out as the idle timeout intends;
// - an answer that is not the table (the login page after the session ran out) is not swapped in:
//   the page is reloaded instead, which shows the login form;
// - no swap under the keyboard: while focus is inside the table, it waits (a swap would lose it).
(function () {
  "use strict";
  var lastActivity = Date.now();
  function idleLimitMs(elt) {
    var seconds = parseInt(elt.getAttribute("data-idle-seconds") || "1200", 10);
    return (isNaN(seconds) ? 1200 : seconds) * 1000;
  }
  ["pointermove", "pointerdown", "keydown", "wheel", "touchstart", "scroll"].forEach(function (type) {
    document.addEventListener(type, function () { lastActivity = Date.now(); },
                              { passive: true, capture: true });
  });
  document.addEventListener("htmx:beforeRequest", function (evt) {
    var elt = evt.detail.elt;
    if (!elt || elt.id !== "dashboard-table") return;
    if (document.hidden || Date.now() - lastActivity > idleLimitMs(elt) ||
        elt.contains(document.activeElement)) {
      evt.preventDefault();
    }
  });
  // The summary bar: each status's part as wide as its count (set through the CSSOM, which the
  // strict CSP allows; a style attribute it would refuse). The links below it carry the words.
  function sizeBar() {
    var parts = document.querySelectorAll(".status-bar-part[data-count]");
    for (var i = 0; i < parts.length; i++) {
      parts[i].style.flexGrow = parts[i].getAttribute("data-count");
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", sizeBar);
  } else {
    sizeBar();
  }
  document.addEventListener("htmx:afterSwap", sizeBar);
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var elt = evt.detail.elt;
    if (!elt || elt.id !== "dashboard-table" || evt.detail.xhr.status !== 200) return;
    if (evt.detail.serverResponse.indexOf('id="dashboard-table"') === -1) {
      evt.detail.shouldSwap = false;
      window.location.reload();
    }
  });
})();
