/* Resilience with Compassion: rated items as radio groups (issue 15; see resilience_course/ui/rating.py).
 *
 * A rated item is an ipywidgets ToggleButtons marked "rc-rating", whose label is the item's text. Here
 * each one becomes one radio group: role="radiogroup" named by its label, each option role="radio"
 * with aria-checked, ONE Tab stop per item (the chosen option, or the first), and the arrow keys,
 * Home and End moving the choice within the item (as native radio buttons do). Space or Enter
 * chooses the focused option.
 */
(function () {
  "use strict";

  var GROUP = ".widget-toggle-buttons.rc-rating";
  var BUTTON = "button.widget-toggle-button";
  var counter = 0;

  function options(group) {
    return Array.prototype.filter.call(group.querySelectorAll(BUTTON), function (b) {
      return !b.disabled;
    });
  }

  function enhance(group) {
    var label = group.querySelector(":scope > label.widget-label");
    if (label) {
      if (!label.id) { counter += 1; label.id = "rc-rating-label-" + counter; }
      if (group.getAttribute("aria-labelledby") !== label.id) { group.setAttribute("aria-labelledby", label.id); }
    }
    if (group.getAttribute("role") !== "radiogroup") { group.setAttribute("role", "radiogroup"); }
    var buttons = Array.prototype.slice.call(group.querySelectorAll(BUTTON));
    var chosen = buttons.filter(function (b) { return b.classList.contains("mod-active"); })[0];
    var stop = chosen || buttons[0];
    buttons.forEach(function (b) {
      var checked = b.classList.contains("mod-active") ? "true" : "false";
      if (b.getAttribute("role") !== "radio") { b.setAttribute("role", "radio"); }
      if (b.getAttribute("aria-checked") !== checked) { b.setAttribute("aria-checked", checked); }
      if (b.hasAttribute("aria-pressed")) { b.removeAttribute("aria-pressed"); }
      var tab = b === stop ? "0" : "-1";
      if (b.getAttribute("tabindex") !== tab) { b.setAttribute("tabindex", tab); }
    });
  }

  function enhanceWithin(node) {
    if (node.nodeType !== 1) { return; }
    if (node.matches(GROUP)) { enhance(node); }
    node.querySelectorAll(GROUP).forEach(enhance);
  }

  new MutationObserver(function (records) {
    var seen = [];
    records.forEach(function (record) {
      var target = record.target.nodeType === 1 ? record.target : record.target.parentElement;
      var group = target && target.closest ? target.closest(GROUP) : null;
      if (group && seen.indexOf(group) < 0) { seen.push(group); }
      record.addedNodes.forEach(function (n) { if (n.nodeType === 1) { enhanceWithin(n); } });
    });
    seen.forEach(enhance);
  }).observe(document.documentElement, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["class", "aria-pressed"]
  });
  enhanceWithin(document.documentElement);

  document.addEventListener("keydown", function (event) {
    var course = window.rcCourse;  /* static/course-page.js, loaded just before this file */
    var next = course && course.keyTarget ? course.keyTarget(event, BUTTON, GROUP, options) : null;
    if (!next) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    next.focus();
    next.click();  /* as with native radio buttons, moving chooses */
  }, true);
}());
