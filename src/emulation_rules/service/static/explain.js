/* The result page: open the explanation a link points to (#ung-vien-…) and move the focus to it,
   so that it can be read at once, with the mouse or the keyboard. Without JavaScript the
   explanations open with their own summary. */
(function () {
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.tagName === "DETAILS") {
      el.open = true;
      var summary = el.querySelector("summary");
      if (summary) { summary.focus(); }
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
