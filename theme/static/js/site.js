/* Schitter: small enhancements only. Every page works without this file.
   Each feature below looks for its own elements and does nothing when they are absent. */
(function () {
  "use strict";
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
  function show(box, data) {
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
  function markVoted(box, score) {
    box.classList.add("rating--voted");
    var status = box.querySelector("[data-rating-status]");
    var stars = plural(box, Number(score), "data-star-one", "data-star-other");
    if (status) status.textContent = box.dataset.voted.replace("{stars}", stars);
    var radio = box.querySelector('input[name="score"][value="' + score + '"]');
    if (radio) radio.checked = true;
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
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) show(box, data); })
        .catch(function () { /* the baked score stays */ });
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
            status.textContent = box.dataset.thanks;
          } else {
            status.textContent = box.getAttribute("data-error-" + r.status) || box.dataset.error;
          }
        });
      }).catch(function () {
        status.textContent = box.dataset.error;
      }).then(function () { button.disabled = false; });
    });
  });
})();
