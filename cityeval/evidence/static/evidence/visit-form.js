// Field visit form: fill the position from the phone's Geolocation API, and filter the long
// item list. Without JavaScript both stay usable: coordinates are typed, groups are opened.
(function () {
  "use strict";
  var geo = document.querySelector("[data-geo]");
  if (geo) {
    var button = geo.querySelector("[data-geo-button]");
    var status = geo.querySelector("[data-geo-status]");
    var field = function (name) { return geo.querySelector("input[name='" + name + "']"); };
    var say = function (key) { status.textContent = status.getAttribute("data-" + key); };
    if ("geolocation" in navigator) {
      button.hidden = false;
      button.addEventListener("click", function () {
        if (!window.isSecureContext) { say("insecure"); return; }
        say("waiting");
        button.disabled = true;
        navigator.geolocation.getCurrentPosition(function (position) {
          // The server keeps six decimals (about 11 cm) and one for the accuracy.
          field("latitude").value = position.coords.latitude.toFixed(6);
          field("longitude").value = position.coords.longitude.toFixed(6);
          field("accuracy_m").value = position.coords.accuracy.toFixed(1);
          button.disabled = false;
          say("done");
        }, function (error) {
          button.disabled = false;
          say(error.code === error.PERMISSION_DENIED ? "denied" : "failed");
        }, { enableHighAccuracy: true, timeout: 30000, maximumAge: 60000 });
      });
    }
  }
  var list = document.querySelector("[data-item-filter]");
  if (list) {
    var input = list.querySelector("[data-filter-input]");
    var groups = list.querySelectorAll("[data-group]");
    input.hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().trim();
      groups.forEach(function (group) {
        var shown = 0;
        group.querySelectorAll("[data-filter-text]").forEach(function (label) {
          var match = !words || label.getAttribute("data-filter-text").toLowerCase().indexOf(words) !== -1;
          label.hidden = !match;
          if (match) { shown += 1; }
        });
        group.hidden = shown === 0;
        if (words) { group.open = shown > 0; }
      });
    });
  }
})();
