/* Search (plugins/search), on the search page only. Without this file the form goes to the
   search engine the site chose (SEARCH_FALLBACK). With it, the site searches itself: Pagefind's
   bundle (pagefind.js, a WASM file and the index chunks a query needs) is fetched from this
   site, and only once the reader searches: types, submits, or opens the page with ?q=. */
(function () {
  "use strict";
  var form = document.querySelector("[data-search]");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var list = document.querySelector("[data-search-results]");
  var status = document.querySelector("[data-search-status]");
  // Dates in the interface's language (the page's lang is the articles' language).
  var ui = document.querySelector("[data-search-lang]");
  var lang = (ui && ui.getAttribute("data-search-lang")) || document.documentElement.lang || "nl";
  var loading = null;
  var shown = "";
  form.hidden = false;
  Array.prototype.forEach.call(form.querySelectorAll("[data-search-fallback]"), function (field) {
    field.remove();
  });

  function load() {
    if (!loading) {
      loading = import(form.getAttribute("data-search") + "pagefind.js").then(function (pagefind) {
        return pagefind.options({ baseUrl: form.getAttribute("data-search-base") }).then(function () {
          return pagefind;
        });
      });
    }
    return loading;
  }
  function say(name, query, count) {
    status.textContent = form.getAttribute("data-search-" + name)
      .replace("%(query)s", query).replace("%(count)s", String(count));
  }
  function day(iso) {
    try {
      return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" })
        .format(new Date(iso + "T00:00:00Z"));
    } catch (e) {
      return iso;
    }
  }
  function element(name, className, parent) {
    var made = document.createElement(name);
    if (className) made.className = className;
    parent.appendChild(made);
    return made;
  }
  function result(data) {
    // A card, as in every list of the site: title, date, excerpt.
    var card = document.createElement("article");
    card.className = "card";
    var link = element("a", "", element("h2", "card__title", card));
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    if (data.meta.date) {
      var time = element("time", "", element("p", "card__meta", card));
      time.dateTime = data.meta.date;
      time.textContent = day(data.meta.date);
    }
    // Pagefind escapes the page's text and adds only <mark> around the words found.
    element("p", "card__summary", card).innerHTML = data.excerpt;
    return card;
  }
  function search(query) {
    query = query.trim();
    if (query === shown) return;
    if (!query) {
      shown = "";
      list.textContent = "";
      status.textContent = "";
      return;
    }
    load().then(function (pagefind) {
      return pagefind.debouncedSearch(query, {}, 150);
    }).then(function (found) {
      if (found === null || input.value.trim() !== query) return; // a newer query is on its way
      return Promise.all(found.results.slice(0, 10).map(function (r) { return r.data(); }))
        .then(function (pages) {
          shown = query;
          list.textContent = "";
          pages.forEach(function (page) { list.appendChild(result(page)); });
          var count = found.results.length;
          say(count === 0 ? "none" : count === 1 ? "one" : "many", query, count);
        });
    }).catch(function () {
      say("failed", query, 0);
    });
  }
  function remember(query) {
    var url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    remember(input.value.trim());
    search(input.value);
  });
  input.addEventListener("input", function () {
    remember(input.value.trim());
    search(input.value);
  });
  input.addEventListener("focus", function () { load().catch(function () {}); }, { once: true });
  var asked = new URLSearchParams(window.location.search).get("q");
  if (asked) {
    input.value = asked;
    search(asked);
  }
})();
