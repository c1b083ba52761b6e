// After a form comes back with errors, move the focus to its error summary, so that keyboard and
// screen-reader users start where the problems are listed (each links to its field).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});
