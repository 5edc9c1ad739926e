/* Schitter: small enhancements only. Every page works without this file.
   Each feature below looks for its own elements and does nothing when they are absent. */
(function () {
  "use strict";
})();

/* --- Share buttons (share_buttons plugin) --------------------------------------------------
   Without JavaScript every share button is a plain link. Here: "Copy link" copies instead of
   navigating, Mastodon asks for the reader's own server (remembered in localStorage) and goes
   straight to https://<server>/share, and "Share…" opens the device's share sheet when the
   browser has one (navigator.share). */
(function () {
  "use strict";
  var block = document.querySelector("[data-share-block]");
  if (!block) return;
  var status = block.querySelector("[data-share-status]");
  var url = block.getAttribute("data-share-url");
  var KEY = "schitter.mastodon-server";
  function say(message) {
    // Clearing first makes screen readers announce the same message again on a second click.
    status.textContent = "";
    setTimeout(function () { status.textContent = message; }, 50);
  }
  function copied() { say(block.getAttribute("data-share-copied")); }
  function copyFallback() {
    var field = document.createElement("textarea");
    field.value = url;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.opacity = "0";
    document.body.appendChild(field);
    field.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(field);
    if (ok) copied(); else say(block.getAttribute("data-share-copy-failed"));
  }
  var copy = block.querySelector('[data-share="copy"]');
  if (copy) copy.addEventListener("click", function (event) {
    event.preventDefault();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(copied, copyFallback);
    } else {
      copyFallback();
    }
  });

  // A server name as readers type it: "mastodon.social", "https://mastodon.social/",
  // "@sanne@mastodon.social" → "mastodon.social"; anything else is refused.
  function serverName(typed) {
    var name = String(typed || "").trim()
      .replace(/^[a-z]+:\/\//i, "").replace(/[\/?#].*$/, "").replace(/^.*@/, "");
    try {
      name = new URL("https://" + name).hostname; // lower case; IDN → punycode
    } catch (e) {
      return "";
    }
    var label = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
    var pattern = new RegExp("^(?:" + label + "\\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$");
    return name.length <= 253 && pattern.test(name) ? name : "";
  }
  var mastodon = block.querySelector('[data-share="mastodon"]');
  var form = block.querySelector("[data-share-mastodon]");
  if (mastodon && form) {
    var input = form.querySelector("input");
    var stored = "";
    try { stored = localStorage.getItem(KEY) || ""; } catch (e) { stored = ""; }
    mastodon.setAttribute("aria-expanded", "false");
    mastodon.addEventListener("click", function (event) {
      event.preventDefault();
      form.hidden = !form.hidden;
      mastodon.setAttribute("aria-expanded", String(!form.hidden));
      if (!form.hidden) {
        if (!input.value) input.value = stored;
        input.focus();
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var server = serverName(input.value);
      if (!server) {
        input.setAttribute("aria-invalid", "true");
        say(block.getAttribute("data-share-bad-server"));
        input.focus();
        return;
      }
      input.removeAttribute("aria-invalid");
      input.value = server;
      try { localStorage.setItem(KEY, server); } catch (e) { /* private mode: not remembered */ }
      var text = mastodon.getAttribute("data-share-text");
      window.open("https://" + server + "/share?text=" + encodeURIComponent(text),
        "_blank", "noopener,noreferrer");
    });
  }

  var native = block.querySelector('[data-share="native"]');
  if (native && typeof navigator.share === "function") {
    native.parentNode.hidden = false;
    native.addEventListener("click", function () {
      navigator.share({ title: block.getAttribute("data-share-title"), url: url })
        .catch(function () { /* the reader closed the share sheet */ });
    });
  }
})();
