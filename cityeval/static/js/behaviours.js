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
(function () {
  "use strict";
  var leaving = false;

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
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    var others = document.body.getAttribute("data-unsaved-others");
    if (others && typedElsewhere(form) && !window.confirm(others)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) { return; }
    if (form.hasAttribute("data-carry")) { carry(form); }
    leaving = true;
  });
  // Back to a page kept in memory (back button): its forms hold what they held; guard again.
  window.addEventListener("pageshow", function () { leaving = false; });
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
