/* Numbers as the page writes them. The server puts Django's decimal separator of the page's
   language on <html data-decimal-separator> (templates/base.html), so a script writes 2,5 where
   the server writes 2,5; every script that shows or reads a number uses these two. */
window.korNumbers = (function () {
  "use strict";
  function separator() {
    return document.documentElement.dataset.decimalSeparator || ".";
  }
  return {
    // value with exactly `decimals` decimals: format(2.5, 1) is "2,5" on a Norwegian page.
    format: function (value, decimals) {
      return value.toFixed(decimals).replace(".", separator());
    },
    // A number typed with a comma or a point (both are fine in either language), or null.
    parse: function (text) {
      if (text == null) return null;
      text = String(text).trim().replace(",", ".");
      if (text === "" || isNaN(Number(text))) return null;
      return Number(text);
    }
  };
})();
