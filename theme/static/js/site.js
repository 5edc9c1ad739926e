/* Schitter: small enhancements only. Every page works without this file.
   Each feature below looks for its own elements and does nothing when they are absent. */
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

/* === Star ratings (plugin star_ratings): live score after load, vote by fetch ============= */
(function () {
  "use strict";
  var widgets = document.querySelectorAll("[data-rating-item][data-rating-service]");
  if (!widgets.length || !window.fetch) return;
  var lang = document.documentElement.lang || "nl";
  var one = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var whole = new Intl.NumberFormat(lang);
  function remembered(id) {
    try { return localStorage.getItem("schitter-rating:" + id); } catch (e) { return null; }
  }
  function remember(id, score) {
    try { localStorage.setItem("schitter-rating:" + id, String(score)); } catch (e) { /* private mode */ }
  }
  function plural(box, n, one_, other) {
    return box.getAttribute(n === 1 ? one_ : other).replace("{n}", whole.format(n));
  }
  function meter(element, fraction) {
    var fill = element && element.querySelector(".rating__meter > span");
    if (fill) fill.style.width = (100 * fraction).toFixed(1) + "%";
  }
  function show(box, data) {
    var average = box.querySelector(".rating__average");
    if (average) {
      average.hidden = !data.count;
      meter(average, data.count ? data.sum / data.count / 5 : 0);
    }
    var score = box.querySelector("[data-rating-score]");
    if (score) {
      score.hidden = false;
      score.textContent = data.count
        ? box.dataset.average.replace("{avg}", one.format(data.sum / data.count)) + " · " +
          plural(box, data.count, "data-one", "data-other")
        : box.dataset.none;
    }
    var spread = box.querySelector(".rating__spread");
    if (!spread) return;
    var known = 0, star;
    for (star = 1; star <= 5; star++) known += data.distribution[star] || 0;
    spread.hidden = !data.count;
    for (star = 1; star <= 5; star++) {
      var row = spread.querySelector('[data-stars="' + star + '"]');
      if (!row) continue;
      var votes = data.distribution[star] || 0;
      row.querySelector(".rating__spread-count").textContent = whole.format(votes);
      row.querySelector(".rating__bar > span").style.width = (known ? Math.round(100 * votes / known) : 0) + "%";
    }
  }
  // After a vote (now, or remembered from an earlier visit): the reader's own stars instead of
  // the form, and the sentence saying so.
  function markVoted(box, score) {
    box.classList.add("rating--voted");
    var status = box.querySelector("[data-rating-status]");
    var stars = plural(box, Number(score), "data-star-one", "data-star-other");
    if (status) status.textContent = box.dataset.voted.replace("{stars}", stars);
    var radio = box.querySelector('input[name="score"][value="' + score + '"]');
    if (radio) radio.checked = true;
    var mine = box.querySelector(".rating__mine");
    if (mine) {
      mine.hidden = false;
      meter(mine, score / 5);
    }
    hideForm(box);
  }
  // The sentences of the no-JavaScript notices (#bedankt…) say the same: one copy in the page.
  function notice(box, id) {
    return box.querySelector("#" + id).textContent;
  }
  function hideForm(box) {
    var form = box.querySelector("form");
    if (form) form.hidden = true;
  }
  // The service cannot be reached: no form that cannot work, one sentence that says why.
  function serviceDown(box) {
    if (box.classList.contains("rating--voted")) return;
    hideForm(box);
    box.querySelector("[data-rating-status]").textContent = box.dataset.down;
  }
  widgets.forEach(function (box) {
    var id = box.dataset.ratingItem, service = box.dataset.ratingService;
    var form = box.querySelector("form");
    var status = box.querySelector("[data-rating-status]");
    var previous = remembered(id);
    if (previous) markVoted(box, previous);
    // The live score, after the page has loaded: it never holds up rendering.
    function refresh() {
      fetch(service + "/scores/" + encodeURIComponent(id), { credentials: "omit" })
        .then(function (r) {
          if (r.status >= 500) serviceDown(box);
          return r.ok ? r.json() : null;
        })
        .then(function (data) { if (data) show(box, data); })
        .catch(function () { serviceDown(box); /* the baked score stays */ });
    }
    if (document.readyState === "complete") setTimeout(refresh, 0);
    else window.addEventListener("load", function () { setTimeout(refresh, 0); });
    if (!form) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = form.querySelector('input[name="score"]:checked');
      if (!chosen) { status.textContent = box.dataset.choose; return; }
      var button = form.querySelector('[type="submit"]');
      button.disabled = true;
      status.textContent = "";
      fetch(service + "/votes", {
        method: "POST",
        credentials: "omit",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ item: id, score: Number(chosen.value) })
      }).then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) {
          if (r.status === 201) {
            show(box, data);
            remember(id, chosen.value);
            markVoted(box, chosen.value);
            status.textContent = notice(box, "bedankt");
          } else if (r.status >= 500) {
            status.textContent = box.dataset.down;
          } else {
            status.textContent = box.getAttribute("data-error-" + r.status) ||
              notice(box, r.status === 409 ? "al-gestemd" : "stem-mislukt");
          }
        });
      }).catch(function () {
        status.textContent = box.dataset.down;
      }).then(function () { button.disabled = false; });
    });
  });
})();

/* === Comments (comments feature): when the comments come into view, those approved since the
   build and a form token arrive in one request; the form is then sent with fetch and the
   outcome shown in place (the texts are the page's own notices). Until a token is there the
   form posts as it does without JavaScript. === */
(function () {
  "use strict";
  var box = document.querySelector("[data-comments-service]");
  if (!box || !window.fetch || !window.IntersectionObserver) return;
  var service = box.dataset.commentsService, form = box.querySelector("form");
  var list = box.querySelector("ol"), status = box.querySelector("[role=status]"), f = form.elements;
  function text(id) { return document.getElementById("reactie-" + id).textContent; }
  function el(tag, cls, content) {
    var node = document.createElement(tag);
    node.className = cls || "";
    node.textContent = content || "";
    return node;
  }
  function add(c) {
    if (document.getElementById("reactie-" + c.id)) return;
    var item = el("article", "comment"), meta = el("p", "comment__meta"), body = el("div", "comment__text");
    var who = el(c.website ? "a" : "bdi", "comment__author", c.name), li = el("li");
    var link = el("a", "comment__permalink", new Date(c.created_at * 1e3).toLocaleDateString(
      document.documentElement.lang, { day: "numeric", month: "long", year: "numeric" }));
    if (c.website) { who.href = c.website; who.rel = "nofollow ugc noopener"; }
    item.id = "reactie-" + c.id;
    link.href = "#" + item.id;
    body.innerHTML = c.html; // sanitised by the service; the page's CSP runs no script in it
    meta.append(who, " · ", link);
    item.append(meta, body);
    li.append(item);
    var parent = c.parent && document.getElementById("reactie-" + c.parent), to = list;
    if (parent) {
      to = parent.parentNode.querySelector("ol");
      if (!to) parent.parentNode.append(to = el("ol", "comments__replies"));
    }
    to.append(li);
    if (box.querySelector(".comments__none")) box.querySelector(".comments__none").hidden = true;
  }
  function load() {
    return fetch(service + "/comments/" + box.dataset.commentsItem + "?since=" + box.dataset.commentsSince)
      .then(function (r) { return r.ok && r.json(); })
      .then(function (data) {
        if (!data) return;
        data.comments.forEach(add);
        var q = data.form.question;
        f.token.value = data.form.token;
        if (String(q.period) !== f.period.value) { // the baked question has expired
          f.period.value = q.period;
          box.querySelector("[data-comments-question]").textContent =
            q.first + (q.operator === "-" ? " \u2212 " : " + ") + "\u2026 = " + q.result;
        }
      }).catch(function () { /* the baked comments stay */ });
  }
  var seen = new IntersectionObserver(function (entries) {
    if (entries[0].isIntersecting) { seen.disconnect(); load(); }
  }, { rootMargin: "400px" });
  seen.observe(box);
  // The service's error codes → the page's notices (the same as for a post without JavaScript).
  var notices = { wrong_answer: "vraag-fout", question_expired: "vraag-fout", invalid_comment:
    "onvolledig", invalid_parent: "onvolledig", rate_limited: "te-veel", comments_closed: "gesloten" };
  function send(body) {
    fetch(service + "/comments", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (data) {
        var ok = r.status === 201 || r.status === 202, code = data.error && data.error.code;
        if (code === "too_fast") return setTimeout(send, 2000, body); // faster than people type
        if (r.status === 201) add(data.comment);
        status.textContent = text(ok ? (r.status === 201 ? "geplaatst" : "ontvangen") : notices[code] || "mislukt");
        if (ok) f.body.value = f.answer.value = f.token.value = "";
        if (ok || r.status === 403 || r.status === 409) return load(); // a token is good once
      });
    }).catch(function () { status.textContent = text("mislukt"); });
  }
  form.addEventListener("submit", function (event) {
    if (!f.token.value) return; // no token (yet): the plain form post
    event.preventDefault();
    var body = {};
    Array.prototype.forEach.call(f, function (field) {
      if (field.name && (field.type !== "checkbox" || field.checked)) body[field.name] = field.value;
    });
    status.textContent = "";
    send(body);
  });
})();
