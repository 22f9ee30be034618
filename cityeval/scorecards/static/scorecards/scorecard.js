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
      // ast: Vega's expression interpreter instead of `new Function` (the CSP forbids eval);
      // no default styles: vega-embed and its tooltip would add <style> elements, which the
      // CSP refuses; their few rules are in css/cityeval.css.
      var options = {
        actions: false, renderer: "svg", formatLocale: locale, ast: true, defaultStyle: false,
        tooltip: { disableDefaultStyle: true }
      };
      window.vegaEmbed(el, spec, options).catch(function (error) {
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
