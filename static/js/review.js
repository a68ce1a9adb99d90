// Review screen: keyboard shortcuts for the next/previous student, and the comment bank.
(function () {
  "use strict";

  var form = document.querySelector("[data-review-form]");
  var comment = document.querySelector("[data-review-comment]");
  var dirty = false;

  if (form) {
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
  }

  function isTyping(target) {
    if (!target) return false;
    if (target.isContentEditable) return true;
    var tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag !== "INPUT") return false;
    // Radio buttons and checkboxes take no text, so j/k stay free while one has focus.
    return ["radio", "checkbox", "button", "submit", "reset"].indexOf(target.type) === -1;
  }

  function go(selector) {
    var link = document.querySelector(selector);
    if (!link) return false;
    if (dirty && !window.confirm(link.dataset.confirm || "You have unsaved feedback. Leave without saving?")) {
      return true;
    }
    dirty = false;
    window.location.assign(link.href);
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey) return;
    var key = event.key;
    var handled = false;
    if (event.altKey && (key === "ArrowRight" || key === "ArrowLeft")) {
      handled = go(key === "ArrowRight" ? "[data-review-next]" : "[data-review-prev]");
    } else if (!event.altKey && !event.shiftKey && !isTyping(event.target)) {
      if (key === "j" || key === "J") handled = go("[data-review-next]");
      else if (key === "k" || key === "K") handled = go("[data-review-prev]");
    }
    if (handled) event.preventDefault();
  });

  document.querySelectorAll("[data-bank-text]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (!comment) return;
      var text = button.dataset.bankText;
      var start = comment.selectionStart != null ? comment.selectionStart : comment.value.length;
      var end = comment.selectionEnd != null ? comment.selectionEnd : comment.value.length;
      var before = comment.value.slice(0, start);
      var after = comment.value.slice(end);
      var spacer = before && !/\s$/.test(before) ? " " : "";
      comment.value = before + spacer + text + after;
      var caret = (before + spacer + text).length;
      comment.focus();
      comment.setSelectionRange(caret, caret);
      dirty = true;
    });
  });
})();
