// A form sent by htmx that fails must say so: without this, htmx swaps nothing and the helper
// may take an unanswered save for a stored one.
//
// - No answer at all (the connection dropped, the server restarted): a form marked
//   data-retry-once (a rating form, a new goal) is sent once more after a moment, with the
//   header X-KOR-Retry. Such a form is idempotent on the server (the same values twice store
//   one row); a rating form's repeat is answered as a save, with the chart and flags. If the
//   repeat gets no answer either, the form says so.
// - An error answer (403, 404, 500, a proxy's 502): the form says so at once.
//
// The values stay in the form either way. The words come from #request-failure (base.html), in
// the page's language.
(function () {
  "use strict";

  var RETRY_AFTER_MS = 1000;

  function words(key) {
    var source = document.getElementById("request-failure");
    return source ? source.dataset[key] || "" : "";
  }

  // The form that sent a write; null for a GET (a poll asks again by itself).
  function formOf(evt) {
    var detail = evt.detail || {};
    var verb = detail.requestConfig ? detail.requestConfig.verb : "";
    if (!detail.elt || !detail.elt.closest || verb === "get") return null;
    return detail.elt.closest("form");
  }

  function box(form) {
    var found = form.querySelector(".request-failed");
    if (found) return found;
    found = document.createElement("p");
    found.className = "request-failed";
    var button = form.querySelector("button[type=submit]");
    form.insertBefore(found, button ? button : null);
    return found;
  }

  function say(form, text, urgent) {
    var message = box(form);
    // role=alert is read at once; a retry in progress is only a status.
    message.setAttribute("role", urgent ? "alert" : "status");
    message.classList.toggle("error", !!urgent);
    message.textContent = text;
  }

  function clear(form) {
    var found = form.querySelector(".request-failed");
    if (found) found.remove();
  }

  document.addEventListener("htmx:configRequest", function (evt) {
    var form = formOf(evt);
    if (form && form.dataset.retrying === "1") evt.detail.headers["X-KOR-Retry"] = "1";
  });

  document.addEventListener("htmx:sendError", function (evt) {
    var form = formOf(evt);
    if (!form) return;
    if (form.hasAttribute("data-retry-once") && form.dataset.retrying !== "1") {
      form.dataset.retrying = "1";
      say(form, words("retrying"), false);
      window.setTimeout(function () {
        form.requestSubmit();
      }, RETRY_AFTER_MS);
      return;
    }
    delete form.dataset.retrying;
    say(form, words("noAnswer"), true);
  });

  document.addEventListener("htmx:responseError", function (evt) {
    var form = formOf(evt);
    if (!form) return;
    delete form.dataset.retrying;
    var status = evt.detail.xhr ? String(evt.detail.xhr.status) : "";
    say(form, words("serverError").replace("{status}", status), true);
  });

  document.addEventListener("htmx:afterRequest", function (evt) {
    var form = formOf(evt);
    if (form && evt.detail.successful) {
      delete form.dataset.retrying;
      clear(form);
    }
  });
})();
