(function () {
  // Each figure.chart holding a Vega-Lite spec: draw it (hover values from vega-embed's tooltip handler), hide the
  // static PNG (the no-JavaScript fallback), and offer a chart/table toggle built from the spec's own data.
  if (!window.vegaEmbed) { return; }
  function rows(spec) {
    if (spec.datasets) { var keys = Object.keys(spec.datasets); if (keys.length) { return spec.datasets[keys[0]]; } }
    return (spec.data && spec.data.values) || [];
  }
  function table(spec, label) {
    var data = rows(spec), wrap = document.createElement("div");
    wrap.className = "table-scroll data-table";
    wrap.setAttribute("role", "region");
    wrap.setAttribute("tabindex", "0");
    wrap.setAttribute("aria-label", label + " (the plotted numbers)");
    var t = document.createElement("table"), head = t.createTHead().insertRow(), body = t.createTBody();
    var cols = data.length ? Object.keys(data[0]) : [];
    cols.forEach(function (c) { var th = document.createElement("th"); th.scope = "col"; th.textContent = c; head.appendChild(th); });
    data.forEach(function (r) {
      var tr = body.insertRow();
      cols.forEach(function (c) {
        var v = r[c], td = tr.insertCell();
        td.textContent = (typeof v === "number") ? (Number.isInteger(v) ? v.toLocaleString("en") : v.toLocaleString("en", {maximumSignificantDigits: 3})) : (v === null ? "" : String(v));
      });
    });
    wrap.appendChild(t);
    return wrap;
  }
  document.querySelectorAll("figure.chart").forEach(function (figure) {
    var source = figure.querySelector("script.vl-spec");
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var box = figure.querySelector(".interactive"), target = figure.querySelector(".vl");
    var button = figure.querySelector("button.toggle"), still = figure.querySelector(".static");
    window.vegaEmbed(target, spec, {actions: false, renderer: "svg"}).then(function () {
      still.hidden = true;
      box.hidden = false;
      button.hidden = false;
      var data = null;
      button.addEventListener("click", function () {
        var showTable = button.getAttribute("aria-pressed") !== "true";
        if (!data) { data = table(spec, figure.querySelector("strong").textContent); box.appendChild(data); }
        data.hidden = !showTable;
        target.hidden = showTable;
        button.setAttribute("aria-pressed", showTable ? "true" : "false");
        button.textContent = showTable ? "Show the chart" : "Show the table";
      });
    }).catch(function (error) { figure.setAttribute("data-chart-error", String(error)); });
  });
})();
