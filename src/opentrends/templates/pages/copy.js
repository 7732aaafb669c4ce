(function () {
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  function finish(button, source, ok, how) {
    if (!ok) { window.getSelection().selectAllChildren(source); }
    button.textContent = ok ? "Copied" : "Press Ctrl+C";
    button.dispatchEvent(new CustomEvent("opentrends-copy",
      {bubbles: true, detail: {ok: ok, how: how, target: source.id, text: source.textContent}}));
    setTimeout(function () { button.textContent = "Copy"; }, 2000);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.copy") : null;
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-copy"));
    var text = source.textContent;
    if (navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { finish(button, source, true, "clipboard"); },
        function () { finish(button, source, fallback(text), "execCommand"); });
    } else {
      finish(button, source, fallback(text), "execCommand");
    }
  });
})();
