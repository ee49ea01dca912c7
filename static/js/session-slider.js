/* The 0-10 line of each form item: mark it by touch, mouse or keyboard (arrows 0.1, page keys
   1.0, Home/End the ends). The line writes into the item's number field, which is what the form
   sends; without JavaScript the number field alone works. */
(function () {
  "use strict";
  // The page's way of writing numbers (static/js/numbers.js, loaded first).
  var parse = window.korNumbers.parse, format = window.korNumbers.format;

  function setUp(scale) {
    if (scale.dataset.ready) return;
    scale.dataset.ready = "1";
    var line = scale.querySelector("[role=slider]");
    var mark = scale.querySelector(".scale-mark");
    var input = document.getElementById(scale.dataset.target);
    var min = Number(scale.dataset.min), max = Number(scale.dataset.max);
    var step = Number(scale.dataset.step);
    var decimals = step < 1 ? 1 : 0;
    var page = step < 1 ? 1 : step;
    var notMarked = line.getAttribute("aria-valuetext");

    function clamp(value) {
      value = Math.round(value / step) * step;
      return Math.min(max, Math.max(min, Number(value.toFixed(decimals))));
    }

    function show(value) {
      if (value === null || value < min || value > max) {
        mark.hidden = true;
        line.removeAttribute("aria-valuenow");
        line.setAttribute("aria-valuetext", value === null ? notMarked : String(input.value));
        return;
      }
      mark.hidden = false;
      mark.style.left = ((value - min) / (max - min)) * 100 + "%";
      line.setAttribute("aria-valuenow", String(value));
      line.setAttribute("aria-valuetext", format(value, decimals));
    }

    function choose(value) {
      value = clamp(value);
      input.value = format(value, decimals);
      input.removeAttribute("aria-invalid");
      show(value);
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function fromPointer(event) {
      var box = line.getBoundingClientRect();
      var share = (event.clientX - box.left) / box.width;
      choose(min + share * (max - min));
    }

    line.addEventListener("keydown", function (event) {
      var current = parse(input.value);
      var base = current === null ? min : current;
      var moves = {
        ArrowRight: step, ArrowUp: step, ArrowLeft: -step, ArrowDown: -step,
        PageUp: page, PageDown: -page
      };
      if (event.key in moves) choose(base + moves[event.key]);
      else if (event.key === "Home") choose(min);
      else if (event.key === "End") choose(max);
      else return;
      event.preventDefault();
    });
    line.addEventListener("pointerdown", function (event) {
      line.setPointerCapture(event.pointerId);
      line.focus();
      fromPointer(event);
      event.preventDefault();
    });
    line.addEventListener("pointermove", function (event) {
      if (line.hasPointerCapture(event.pointerId)) fromPointer(event);
    });
    input.addEventListener("input", function () {
      show(parse(input.value));
    });
    // A typed "7" reads back as "7.0" (one decimal), like the mark on the line.
    input.addEventListener("change", function () {
      var value = parse(input.value);
      if (value !== null && value >= min && value <= max) input.value = format(value, decimals);
    });
    show(parse(input.value));
    scale.hidden = false;
  }

  function setUpStatus(form) {
    if (form.dataset.ready) return;
    form.dataset.ready = "1";
    function update() {
      var checked = form.querySelector("input[type=radio]:checked");
      var status = checked ? checked.value : "completed";
      form.querySelectorAll("[data-part]").forEach(function (part) {
        part.hidden = part.dataset.part !== status;
      });
    }
    form.querySelectorAll("input[type=radio]").forEach(function (radio) {
      radio.addEventListener("change", update);
    });
  }

  function init(root) {
    root.querySelectorAll("[data-scale]").forEach(setUp);
    root.querySelectorAll(".rating-form").forEach(setUpStatus);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  // After a save the form is swapped: keep the keyboard user's place, on the first field to fix
  // or on the confirmation (both are also announced: role=alert / role=status).
  function refocus(card) {
    if (!card.classList || !card.classList.contains("rating-card")) return;
    var target = card.querySelector("[aria-invalid=true]") || card.querySelector(".saved");
    if (!target) return;
    if (!target.matches("input")) target.setAttribute("tabindex", "-1");
    target.focus();
  }

  document.addEventListener("htmx:load", function (event) {
    init(event.detail.elt);
    refocus(event.detail.elt);
  });
})();
