// Renders every Vega-Lite spec the page embeds (json_script) with vega-embed, as SVG.
(function () {
  "use strict";
  function render(root) {
    root.querySelectorAll("[data-vega-spec]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-vega-spec"));
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      window.vegaEmbed(el, spec, { actions: false, renderer: "svg" }).catch(function (error) {
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
