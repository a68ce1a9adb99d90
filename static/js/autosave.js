/* Autosave for answers: nothing a student types is lost.
 *
 * Each answer form saves to the server at least every 10 seconds while the
 * student types and whenever a field loses focus, naming the version it
 * started from. A copy stays in localStorage until the server confirms it,
 * so a dropped network or an expired session loses nothing: the text is
 * restored when the page is opened again. A save refused because another tab
 * saved first (409) shows both versions to choose from.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var SAVE_EVERY_MS = 10000;
  var RETRY_MS = 5000;

  function csrfToken(form) {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function timeNow() {
    var d = new Date();
    return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }

  function wordCount(text) {
    var words = text.trim().split(/\s+/).filter(Boolean);
    return words.length;
  }

  function readAnswer(form) {
    var position = form.querySelector("input[name=position]:checked");
    var quote = form.querySelector("input[name=quoted_sentence]");
    return {
      position: position ? position.value : "",
      body: form.querySelector("[data-body]").value.replace(/\r\n?/g, "\n"),
      cited_sections: Array.prototype.map.call(
        form.querySelectorAll("input[name=cited_sections]:checked"), function (el) { return parseInt(el.value, 10); }
      ),
      quoted_sentence: quote ? quote.value : ""
    };
  }

  // What the server sent with the page, whatever the student typed since.
  function readDefaults(form) {
    var position = Array.prototype.filter.call(form.querySelectorAll("input[name=position]"), function (el) { return el.defaultChecked; })[0];
    var quote = form.querySelector("input[name=quoted_sentence]");
    return {
      position: position ? position.value : "",
      body: form.querySelector("[data-body]").defaultValue.replace(/\r\n?/g, "\n"),
      cited_sections: Array.prototype.filter.call(form.querySelectorAll("input[name=cited_sections]"), function (el) { return el.defaultChecked; })
        .map(function (el) { return parseInt(el.value, 10); }),
      quoted_sentence: quote ? quote.defaultValue : ""
    };
  }

  function writeAnswer(form, answer) {
    form.querySelectorAll("input[name=position]").forEach(function (el) { el.checked = el.value === answer.position; });
    form.querySelector("[data-body]").value = answer.body || "";
    var cited = (answer.cited_sections || []).map(String);
    form.querySelectorAll("input[name=cited_sections]").forEach(function (el) { el.checked = cited.indexOf(el.value) !== -1; });
    var quote = form.querySelector("input[name=quoted_sentence]");
    if (quote) quote.value = answer.quoted_sentence || "";
  }

  function sameAnswer(a, b) {
    return a.position === b.position && a.body === b.body && a.quoted_sentence.trim() === (b.quoted_sentence || "").trim() &&
      JSON.stringify(a.cited_sections.map(Number).sort()) === JSON.stringify((b.cited_sections || []).map(Number).sort());
  }

  function setup(form) {
    var url = form.dataset.autosaveUrl;
    var key = form.dataset.storageKey;
    var versionInput = form.querySelector("[data-version]");
    var status = form.querySelector("[data-save-status]");
    var counter = form.querySelector("[data-word-count]");
    var conflictBox = form.querySelector("[data-conflict]");
    var signinBox = form.querySelector("[data-signin]");
    var body = form.querySelector("[data-body]");
    var dirty = false, inFlight = false, blocked = false, timer = null, retry = null, submitting = false;
    var keepPrevious = false;
    var submitWaiting = false, waitingSubmitter = null;
    var lastSaved = readDefaults(form);
    var lastSent = lastSaved;

    function showStatus(text, isError) {
      status.textContent = text;
      status.classList.toggle("is-error", !!isError);
    }

    function updateCount() {
      var n = wordCount(body.value);
      counter.textContent = n === 1 ? "1 word" : n + " words";
    }

    function remember() {
      try {
        // `pending` is what a save now on its way carries: if the page is
        // reloaded before its answer comes back, the next visit can tell that
        // the server's newer version is that save, not another tab's.
        localStorage.setItem(key, JSON.stringify({
          answer: readAnswer(form), base: parseInt(versionInput.value, 10), at: Date.now(),
          pending: inFlight ? lastSent : null
        }));
      } catch (e) { /* storage full or off: the server copy still saves */ }
    }

    function forget() {
      try { localStorage.removeItem(key); } catch (e) { /* nothing to do */ }
    }

    function changed() {
      dirty = true;
      updateCount();
      remember();
      if (!blocked && status.textContent.indexOf("Saved") === 0) showStatus("Saving...");
      if (!timer && !blocked) timer = window.setTimeout(save, SAVE_EVERY_MS);
    }

    function scheduleRetry() {
      if (retry) return;
      retry = window.setTimeout(function () { retry = null; save(); }, RETRY_MS);
    }

    function askToSignIn(message) {
      blocked = true;
      var next = window.location.pathname + "#prompt-" + form.dataset.prompt;
      var login = form.dataset.loginUrl.split("?")[0] + "?next=" + encodeURIComponent(next);
      signinBox.replaceChildren();
      var p = document.createElement("p");
      p.className = "mb-1";
      p.textContent = message || "Your session has ended. Your text is kept on this device.";
      var a = document.createElement("a");
      a.href = login;
      a.className = "btn btn-sm btn-primary";
      a.textContent = "Sign in again";
      signinBox.append(p, a);
      signinBox.hidden = false;
      showStatus("Not saved - sign in again to save", true);
      // Keep trying: signing in from another tab lets this one save again.
      window.setTimeout(function () { blocked = false; if (dirty) save(); }, 15000);
    }

    function choiceBlock(title, answer) {
      var wrap = document.createElement("div");
      var h = document.createElement("h4");
      h.className = "h6";
      h.textContent = title;
      var text = document.createElement("div");
      text.className = "conflict-choice";
      text.textContent = (answer.position ? answer.position + "\n\n" : "") + answer.body;
      wrap.append(h, text);
      return wrap;
    }

    function showConflict(current, mine, message) {
      blocked = true;
      conflictBox.replaceChildren();
      var intro = document.createElement("p");
      intro.textContent = message || "This answer was changed in another tab or on another device. Choose which version to keep.";
      var keepSaved = document.createElement("button");
      keepSaved.type = "button";
      keepSaved.className = "btn btn-sm btn-outline-primary me-2";
      keepSaved.textContent = "Keep the saved version";
      var keepMine = document.createElement("button");
      keepMine.type = "button";
      keepMine.className = "btn btn-sm btn-primary";
      keepMine.textContent = "Keep this tab's version";
      conflictBox.append(intro, choiceBlock("The saved version", current), choiceBlock("This tab's version", mine), keepSaved, keepMine);
      conflictBox.hidden = false;
      showStatus("Not saved - choose a version", true);
      keepSaved.addEventListener("click", function () {
        writeAnswer(form, current);
        versionInput.value = current.version;
        lastSaved = current;
        dirty = false; blocked = false;
        forget();
        updateCount();
        conflictBox.hidden = true;
        showStatus("Saved " + timeNow());
      });
      keepMine.addEventListener("click", function () {
        writeAnswer(form, mine);
        versionInput.value = current.version;
        keepPrevious = true; blocked = false; dirty = true;
        conflictBox.hidden = true;
        remember();
        save();
      });
    }

    function save() {
      if (timer) { window.clearTimeout(timer); timer = null; }
      if (!dirty || inFlight || blocked || submitting) return;
      inFlight = true;
      var answer = readAnswer(form);
      lastSent = answer;
      remember();
      var payload = Object.assign({ version: parseInt(versionInput.value, 10), keep_previous: keepPrevious }, answer);
      dirty = false;
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken(form), "X-Requested-With": "XMLHttpRequest" },
        body: JSON.stringify(payload)
      }).then(function (res) {
        var isJson = (res.headers.get("content-type") || "").indexOf("application/json") !== -1;
        if (res.status === 401 || res.status === 403 || res.redirected || !isJson) {
          dirty = true;
          return (isJson ? res.json() : Promise.resolve({})).then(function (data) { askToSignIn(data.error); });
        }
        return res.json().then(function (data) {
          if (res.ok) {
            versionInput.value = data.version;
            lastSaved = answer;
            keepPrevious = false;
            signinBox.hidden = true;
            if (sameAnswer(readAnswer(form), answer)) forget(); else remember();
            showStatus("Saved " + (data.saved_at_display || timeNow()));
          } else if (res.status === 409 && data.current) {
            if (data.current.status === "draft" || data.current.status === "revising") {
              showConflict(data.current, readAnswer(form), data.error);
            } else {
              blocked = true;
              showStatus(data.error, true);
            }
          } else {
            dirty = true;
            blocked = true;
            showStatus("Not saved - " + (data.error || "please check your answer"), true);
            window.setTimeout(function () { blocked = false; }, RETRY_MS);
          }
        });
      }).catch(function () {
        dirty = true;
        showStatus("Not saved - retrying", true);
        scheduleRetry();
      }).finally(function () {
        inFlight = false;
        if (submitWaiting) {
          // Submit now, with the version this save got; not if it needs the student (a conflict, signing in).
          submitWaiting = false;
          if (!blocked) { form.requestSubmit(waitingSubmitter); return; }
        }
        if (dirty && !blocked && !timer) timer = window.setTimeout(save, SAVE_EVERY_MS);
      });
    }

    // A copy kept on this device from an earlier visit: put it back.
    var stored = null;
    try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
    if (stored && stored.answer) {
      var onServer = readAnswer(form);
      if (sameAnswer(stored.answer, onServer)) {
        forget();
      } else if (stored.base === parseInt(versionInput.value, 10) ||
                 (stored.pending && stored.base + 1 === parseInt(versionInput.value, 10) && sameAnswer(stored.pending, onServer))) {
        writeAnswer(form, stored.answer);
        showStatus("Restored your unsaved text - saving");
        dirty = true;
        window.setTimeout(save, 0);
      } else {
        onServer.version = parseInt(versionInput.value, 10);
        showConflict(onServer, stored.answer,
          "This device kept text that was never saved, and the answer has changed since. Choose which version to keep.");
      }
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("focusout", function () {
      // Catches text typed before this script ran.
      if (!dirty && !blocked && !sameAnswer(readAnswer(form), inFlight ? lastSent : lastSaved)) dirty = true;
      if (dirty) save();
    });
    window.addEventListener("online", function () { if (dirty) save(); });
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden" && dirty) save(); });

    form.addEventListener("submit", function (event) {
      // One submission per click, however many clicks: the server is idempotent too.
      if (submitting) { event.preventDefault(); return; }
      if (inFlight) {
        // A save is on its way and will change the version: submitting the old
        // one now would be refused as if another tab had saved. Wait for it.
        event.preventDefault();
        submitWaiting = true;
        waitingSubmitter = event.submitter || null;
        return;
      }
      submitting = true;
      if (timer) { window.clearTimeout(timer); timer = null; }
      remember();
      var button = event.submitter;
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
        if (button) button.textContent = button.value === "submit" ? "Submitting..." : "Saving...";
      }, 0);
    });
    updateCount();
    if (!dirty && !blocked && !sameAnswer(readAnswer(form), lastSaved)) changed();
  }

  document.querySelectorAll("[data-storage-clear]").forEach(function (el) {
    try { localStorage.removeItem(el.dataset.storageClear); } catch (e) { /* nothing to do */ }
  });
  document.querySelectorAll("form[data-autosave-url]").forEach(setup);
})();
