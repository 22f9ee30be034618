// Review pages: arrow keys move between items; one checkbox selects every item in the list.
(function () {
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var link = document.querySelector('a[data-key="' + event.key + '"]');
    if (link) { window.location.href = link.href; }
  });
  var boxes = document.querySelectorAll('input[name="items"]');
  var counter = document.querySelector("[data-selected-count]");
  function count() {
    if (!counter) return;
    var n = 0;
    boxes.forEach(function (box) { if (box.checked) n += 1; });
    counter.textContent = (counter.dataset.template || "%s").replace("%s", n);
  }
  boxes.forEach(function (box) { box.addEventListener("change", count); });
  var all = document.querySelector("[data-select-all]");
  if (all) {
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      count();
    });
  }
  count();
})();
