/* Schitter: small enhancements only. Every page works without this file.
   Each feature below looks for its own elements and does nothing when they are absent. */
(function () {
  "use strict";
})();
