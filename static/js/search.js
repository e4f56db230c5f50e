/*
 * Search page behaviour on top of htmx (progressive enhancement; the form and the pagination
 * links work as plain GET requests without it).
 *
 * - After a page link replaced the results, focus moves to the results heading, so keyboard
 *   and screen-reader users continue at the top of the new page of results.
 * - When the form comes back with errors, focus moves to the error summary.
 * - When an htmx request fails (server error, network), fall back to a normal page load of the
 *   same URL, so the user never stays on a silently stale page.
 */
(function () {
  "use strict";

  function isPageLink(elt) {
    return !!(elt && elt.classList && (elt.classList.contains("utrecht-pagination__page-link") ||
      elt.classList.contains("utrecht-pagination__relative-link")));
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail.requestConfig || {};
    var summary = document.getElementById("error-summary");
    if (summary && event.detail.target && event.detail.target.id === "search-body") {
      summary.focus();
      return;
    }
    if (isPageLink(config.elt)) {
      var heading = document.getElementById("results-heading");
      if (heading) heading.focus();
    }
  });

  function fallback(event) {
    var config = event.detail.requestConfig || {};
    var path = event.detail.pathInfo && event.detail.pathInfo.finalRequestPath;
    var url = path || config.path;
    if (url && config.verb === "get") {
      window.location.assign(url);
    }
  }

  document.addEventListener("htmx:responseError", fallback);
  document.addEventListener("htmx:sendError", fallback);
})();
