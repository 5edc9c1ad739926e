/* Schitter: the course sign-up's answer in place. Loaded only on the page of a course with a
   personal schedule (podcast_show.html), so no other page pays for it. Enhancement only. */
/* === Course sign-up (podcast drip courses): the answer in place ===========================
   Without JavaScript the form posts and the service answers with a page that shows the
   personal feed. Here the same page is fetched and its answer replaces the form. */
(function () {
  "use strict";
  var box = document.querySelector("[data-course-signup]");
  if (!box || !window.fetch || !window.DOMParser) return;
  var form = box.querySelector("form");
  var failed = box.querySelector("[data-course-error]");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new FormData(form);
    var body = {
      consent: data.get("consent") === "yes",
      email: data.get("email") || "",
      website: data.get("website") || ""
    };
    failed.classList.remove("course-signup__notice--shown");
    fetch(form.action, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.status !== 201) throw new Error(String(response.status));
      return response.json();
    }).then(function (answer) {
      return fetch(answer.page_url);
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var answer = document.importNode(page.getElementById("course-answer"), true);
      var title = answer.querySelector("h1");
      if (title) title.outerHTML = "<h2 id=\"course-answer-title\">" + title.innerHTML + "</h2>";
      box.replaceWith(answer);
      answer.setAttribute("tabindex", "-1");
      answer.focus();
      answer.dispatchEvent(new CustomEvent("schitter:copy", { bubbles: true }));
    }).catch(function () {
      failed.classList.add("course-signup__notice--shown");
      failed.focus();
    });
  });
})();
