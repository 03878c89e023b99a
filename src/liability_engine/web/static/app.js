// The page's only script, and optional: the pages work without it. It narrows the item list of a
// training answer to the items (or paragraphs) of the article chosen.
(function () {
  "use strict";
  function narrow() {
    var article = document.getElementById("article");
    var item = document.getElementById("item");
    if (!article || !item) { return; }
    var chosen = article.options[article.selectedIndex];
    var limit = 0;
    if (chosen && chosen.value) {
      limit = Math.max(parseInt(chosen.getAttribute("data-items") || "0", 10),
                       parseInt(chosen.getAttribute("data-paragraphs") || "0", 10));
    }
    for (var i = 0; i < item.options.length; i++) {
      var option = item.options[i];
      if (!option.value) { continue; }
      var hide = !chosen || !chosen.value || parseInt(option.value, 10) > limit;
      option.hidden = hide;
      option.disabled = hide;
      if (hide && option.selected) { item.selectedIndex = 0; }
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var article = document.getElementById("article");
    if (article) { article.addEventListener("change", narrow); narrow(); }
  });
})();
