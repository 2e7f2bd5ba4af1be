/* Resilience with Compassion: small keyboard and screen-reader helpers for course pages.
 *
 * 1. ipywidgets shows which answer is chosen in a ToggleButtons group by colour only; this mirrors
 *    that state into aria-pressed, so screen readers say "pressed" / "not pressed".
 * 2. In a group of answer buttons the arrow keys (and Home / End) move between the answers; Space or
 *    Enter chooses one. Tab and Shift+Tab still move through every button as before.
 * 3. If part of the page is still loading after 20 seconds (rare: the connection to Python was
 *    lost), a kind note at the top says that reloading the page helps.
 */
(function () {
  "use strict";

  var BUTTONS = "button.widget-toggle-button";
  var GROUPS = ".widget-toggle-buttons, .rc-choices";

  function syncPressed(button) {
    if (button.closest(".rc-rating")) { return; }  /* a rated item is a radio group (static/rating.js) */
    var pressed = button.classList.contains("mod-active") ? "true" : "false";
    if (button.getAttribute("aria-pressed") !== pressed) {
      button.setAttribute("aria-pressed", pressed);
    }
  }

  function syncWithin(node) {
    if (node.nodeType !== 1) { return; }
    if (node.matches(BUTTONS)) { syncPressed(node); }
    node.querySelectorAll(BUTTONS).forEach(syncPressed);
  }

  new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (record.type === "attributes") {
        if (record.target.matches(BUTTONS)) { syncPressed(record.target); }
      } else {
        record.addedNodes.forEach(syncWithin);
      }
    });
  }).observe(document.documentElement, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["class"]
  });

  setTimeout(function () {
    var waiting = Array.prototype.some.call(document.querySelectorAll(".jp-OutputArea-output"), function (el) {
      return el.textContent.trim() === "Loading widget...";
    });
    var main = document.querySelector("main.rc-main");
    if (!waiting || !main || document.getElementById("rc-slow-note")) { return; }
    var note = document.createElement("div");
    note.id = "rc-slow-note";
    note.className = "rc-slow-note";
    note.setAttribute("role", "status");
    note.textContent = "Part of this page has not loaded. Please reload the page; anything you have " +
                       "saved is safe.";
    main.insertBefore(note, main.firstChild);
  }, 20000);

  var MOVES = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

  /* Where the arrow keys, Home or End move the focus from the button the key was pressed on: the next
   * button in its group (matching buttonSelector inside groupSelector; listOf(group) gives the buttons
   * in order), or null when the key is not one of those or not pressed on such a button. Shared with
   * static/rating.js (loaded after this file) as window.rcCourse.keyTarget. */
  function keyTarget(event, buttonSelector, groupSelector, listOf) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey || !target || !target.closest) { return null; }
    var button = target.closest(buttonSelector);
    var group = button && button.closest(groupSelector);
    if (!group) { return null; }
    var list = listOf(group);
    var index = list.indexOf(button);
    if (index < 0) { return null; }
    if (event.key in MOVES) { return list[(index + MOVES[event.key] + list.length) % list.length]; }
    if (event.key === "Home") { return list[0]; }
    if (event.key === "End") { return list[list.length - 1]; }
    return null;
  }

  window.rcCourse = window.rcCourse || {};
  window.rcCourse.keyTarget = keyTarget;

  function visibleButtons(group) {
    return Array.prototype.filter.call(group.querySelectorAll(BUTTONS), function (b) {
      return !b.disabled && b.offsetParent !== null;
    });
  }

  document.addEventListener("keydown", function (event) {
    var next = keyTarget(event, BUTTONS, GROUPS, visibleButtons);
    if (!next) { return; }
    event.preventDefault();
    next.focus();
  });
}());
