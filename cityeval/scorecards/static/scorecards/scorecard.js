// Renders every Vega-Lite spec the page embeds (json_script) with vega-embed, as SVG.
(function () {
  "use strict";
  // Numbers in the charts follow the page's language, as the page's own figures do (2,13).
  var lang = document.documentElement.lang || "";
  var locale = lang.indexOf("id") === 0
    ? { decimal: ",", thousands: ".", grouping: [3], currency: ["Rp", ""] }
    : undefined;
  function render(root) {
    root.querySelectorAll("[data-vega-spec]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-vega-spec"));
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      window.vegaEmbed(el, spec, { actions: false, renderer: "svg", formatLocale: locale }).catch(function (error) {
        el.textContent = el.getAttribute("data-error") || String(error);
        console.error(error);
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { render(document); });
  } else {
    render(document);
  }
})();
