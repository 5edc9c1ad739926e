/* --- Podcast (plugins/podcast): chapter and transcript links seek the page's player; the
   feed address gets a copy button. Without JS the links open the audio at that time
   (media fragment #t=…) and the address can be selected by hand. --- */
(function () {
  "use strict";
  var audio = document.querySelector("[data-player] audio");
  if (audio) {
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[data-seek]") : null;
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      var seconds = parseFloat(link.getAttribute("data-seek")) || 0;
      var seek = function () {
        audio.currentTime = seconds;
        var playing = audio.play();
        if (playing && playing.catch) playing.catch(function () {});
      };
      if (audio.readyState >= 1) seek();
      else {
        audio.addEventListener("loadedmetadata", seek, { once: true });
        audio.load();
      }
    });
  }
  // Also for copy buttons that arrive later (the course sign-up's answer): "schitter:copy".
  function wire(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field || button.getAttribute("data-copy-wired")) return;
    button.setAttribute("data-copy-wired", "");
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () {
        button.textContent = button.getAttribute("data-copied") || label;
        setTimeout(function () { button.textContent = label; }, 2000);
      };
      field.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          if (document.execCommand("copy")) done();
        });
      } else if (document.execCommand("copy")) done();
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), wire);
  document.addEventListener("schitter:copy", function (event) {
    Array.prototype.forEach.call(event.target.querySelectorAll("button[data-copy]"), wire);
  });
})();
