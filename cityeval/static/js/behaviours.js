// Small behaviours that templates ask for with data attributes, so that pages need no inline
// script or on…="" handler (the Content-Security-Policy allows same-origin files only).
//   <form data-confirm="Question?">  asks before submitting
//   <select data-autosubmit>          submits its form when the choice changes
//   <button data-print>               opens the print dialog
//   <form data-unsaved>               warns before the page is left while the form holds typed
//                                     work not yet submitted (data-unsaved="pending": the page
//                                     shows typed work the server has not saved, e.g. a conflict)
//   <form data-carry="ID">            when submitted, carries the changed fields of form ID along
//                                     as hidden "carried-NAME" copies, so that another action on
//                                     the page (an upload, a new recommendation) saves them too
//   <body data-unsaved-others="...">  submitting one form while ANOTHER data-unsaved form of the
//                                     page holds typed work (not carried along) asks first with
//                                     this question: a page of several forms (the visit's minutes,
//                                     actions, materials) never drops typed text in silence
//   <form data-guard-unsaved="Q?">    asks Q before submitting while a data-unsaved form on the
//                                     page holds typed work (the language switch: it reloads)
//   <select multiple data-picker>     becomes a searchable checklist (data-picker-placeholder);
//                                     the <select> stays in the form and is what is submitted
(function () {
  "use strict";
  var leaving = false;
  var agreedToLeave = false;  // the person answered "leave anyway" for typed work elsewhere

  function changed(form) {
    if (form.getAttribute("data-unsaved") === "pending") { return true; }
    var fields = form.elements;
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (!field.name || field.disabled) { continue; }
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked !== field.defaultChecked) { return true; }
      } else if (field.type === "file") {
        if (field.files && field.files.length) { return true; }
      } else if (field instanceof HTMLSelectElement) {
        for (var j = 0; j < field.options.length; j++) {
          if (field.options[j].selected !== field.options[j].defaultSelected) { return true; }
        }
      } else if ("defaultValue" in field && field.type !== "hidden" && field.value !== field.defaultValue) {
        return true;
      }
    }
    return false;
  }

  // A refused auto-submitting choice (the language) goes back to what the page was served with.
  function resetChoices(form) {
    var selects = form.querySelectorAll("select[data-autosubmit]");
    for (var i = 0; i < selects.length; i++) {
      for (var j = 0; j < selects[i].options.length; j++) {
        selects[i].options[j].selected = selects[i].options[j].defaultSelected;
      }
    }
  }

  function picker(select) {
    var box = document.createElement("div");
    box.className = "picker";
    var search = document.createElement("input");
    search.type = "search";
    search.className = "picker-search";
    search.placeholder = select.getAttribute("data-picker-placeholder") || "";
    search.setAttribute("aria-label", search.placeholder);
    var count = document.createElement("p");
    count.className = "picker-count muted small";
    count.setAttribute("aria-live", "polite");
    var list = document.createElement("div");
    list.className = "picker-list";
    var rows = [];
    function recount() {
      var chosen = [];
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].selected) { chosen.push(select.options[i].text); }
      }
      count.textContent = chosen.length ? "✓ " + chosen.length + ": " + chosen.join(", ") : "";
    }
    Array.prototype.forEach.call(select.options, function (option) {
      var label = document.createElement("label");
      label.className = "inline-check";
      var tick = document.createElement("input");
      tick.type = "checkbox";
      tick.checked = option.selected;
      tick.addEventListener("change", function () {
        option.selected = tick.checked;
        recount();
      });
      label.appendChild(tick);
      label.appendChild(document.createTextNode(" " + option.text));
      list.appendChild(label);
      rows.push({ label: label, text: option.text.toLowerCase() });
    });
    search.addEventListener("input", function () {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      rows.forEach(function (row) {
        row.label.hidden = !words.every(function (w) { return row.text.indexOf(w) !== -1; });
      });
    });
    // Enter in the search box filters; it must not submit the team form half-chosen.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    box.appendChild(search);
    box.appendChild(list);
    box.appendChild(count);
    select.hidden = true;
    select.parentNode.insertBefore(box, select.nextSibling);
    var label = select.id ? document.querySelector("label[for='" + select.id + "']") : null;
    if (label) { label.setAttribute("for", ""); }
    recount();
  }

  function carry(form) {
    var old = form.querySelectorAll("input[data-carried]");
    for (var i = 0; i < old.length; i++) { old[i].remove(); }
    var source = document.getElementById(form.getAttribute("data-carry") || "");
    if (!(source instanceof HTMLFormElement) || source === form || !changed(source)) { return; }
    new FormData(source).forEach(function (value, name) {
      if (typeof value !== "string" || name === "csrfmiddlewaretoken") { return; }
      var copy = document.createElement("input");
      copy.type = "hidden";
      copy.name = "carried-" + name;
      copy.value = value;
      copy.setAttribute("data-carried", "");
      form.appendChild(copy);
    });
  }

  // Typed work in a form of the page other than the one submitted and the one it carries along.
  function typedElsewhere(form) {
    var carried = form.getAttribute("data-carry");
    var forms = document.querySelectorAll("form[data-unsaved]");
    for (var i = 0; i < forms.length; i++) {
      var other = forms[i];
      if (other === form || (carried && other.id === carried)) { continue; }
      if (changed(other)) { return true; }
    }
    return false;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    var question = form.getAttribute("data-confirm");
    if (!question && form.hasAttribute("data-guard-unsaved") && typedElsewhere(form)) {
      question = form.getAttribute("data-guard-unsaved");
    }
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      resetChoices(form);
      return;
    }
    // A form with its own question (data-guard-unsaved) has already asked about the typed work.
    var others = document.body.getAttribute("data-unsaved-others");
    if (others && !form.hasAttribute("data-guard-unsaved") && typedElsewhere(form)) {
      if (!window.confirm(others)) {
        event.preventDefault();
        event.stopImmediatePropagation();
        resetChoices(form);
        return;
      }
      agreedToLeave = true;
    }
  }, true);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) { return; }
    if (form.hasAttribute("data-carry")) { carry(form); }
    // Only a form that saves (or carries) the typed work, or that asked first, may leave without
    // the browser's own warning: a language switch or a sign-out would otherwise drop it silently.
    if (agreedToLeave || form.hasAttribute("data-unsaved") || form.hasAttribute("data-carry") ||
        form.hasAttribute("data-guard-unsaved") || !typedElsewhere(form)) {
      leaving = true;
    }
  });
  // Back to a page kept in memory (back button): its forms hold what they held; guard again.
  window.addEventListener("pageshow", function () { leaving = false; agreedToLeave = false; });
  window.addEventListener("beforeunload", function (event) {
    if (leaving) { return; }
    var forms = document.querySelectorAll("form[data-unsaved]");
    for (var i = 0; i < forms.length; i++) {
      if (changed(forms[i])) {
        event.preventDefault();
        event.returnValue = "";
        return;
      }
    }
  });
  function start() {
    var selects = document.querySelectorAll("select[multiple][data-picker]");
    for (var i = 0; i < selects.length; i++) { picker(selects[i]); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof HTMLElement && field.hasAttribute("data-autosubmit") && field.form) {
      if (typeof field.form.requestSubmit === "function") {
        field.form.requestSubmit();
      } else {
        field.form.submit();
      }
    }
  });
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
    if (target) {
      event.preventDefault();
      window.print();
    }
  });
})();
