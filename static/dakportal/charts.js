// Charts of DAK Portal (Chart.js, vendored). A <canvas data-chart="kind" data-source="id"> reads its data from
// the JSON <script id="id"> that Django's json_script wrote; no inline script, so the CSP stays strict.
(function () {
  "use strict";
  const rupiahBillions = (value) => (value / 1e9).toLocaleString("id-ID", { maximumFractionDigits: 1 });
  const builders = {
    "per-year": (data) => ({
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.amount_label, data: data.amounts.map((v) => v / 1e9), yAxisID: "y", backgroundColor: "#0d6efd" },
          { label: data.count_label, data: data.counts, yAxisID: "y1", type: "line", borderColor: "#fd7e14", backgroundColor: "#fd7e14" },
        ],
      },
      options: {
        responsive: true,
        animation: false,
        scales: { y: { beginAtZero: true, position: "left" }, y1: { beginAtZero: true, position: "right", ticks: { precision: 0 }, grid: { drawOnChartArea: false } } },
        plugins: { tooltip: { callbacks: { label: (c) => c.dataset.yAxisID === "y" ? c.dataset.label + ": Rp " + c.parsed.y.toLocaleString("id-ID", { maximumFractionDigits: 1 }) + " miliar" : c.dataset.label + ": " + c.parsed.y } } },
      },
    }),
    progress: (data) => ({
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.financial_label, data: data.financial, borderColor: "#0d6efd", backgroundColor: "#0d6efd" },
          { label: data.physical_label, data: data.physical, borderColor: "#198754", backgroundColor: "#198754" },
        ],
      },
      options: { responsive: true, animation: false, scales: { y: { beginAtZero: true, max: 100 } } },
    }),
    // #13.5: plan against actual, money and physical progress; a quarter more than 10 points behind is marked red.
    scurve: (data) => {
      const marks = (colour) => data.behind.map((behind) => (behind ? "#dc3545" : colour));
      const sizes = data.behind.map((behind) => (behind ? 7 : 3));
      return {
        type: "line",
        data: {
          labels: data.labels,
          datasets: [
            { label: data.plan_label, data: data.plan, borderColor: "#0d6efd", backgroundColor: "#0d6efd", borderDash: [6, 4], spanGaps: true },
            { label: data.actual_label, data: data.actual, borderColor: "#0d6efd", pointBackgroundColor: marks("#0d6efd"), pointRadius: sizes, backgroundColor: "#0d6efd" },
            { label: data.plan_physical_label, data: data.plan_physical, borderColor: "#198754", backgroundColor: "#198754", borderDash: [6, 4], spanGaps: true },
            { label: data.physical_label, data: data.physical, borderColor: "#198754", pointBackgroundColor: marks("#198754"), pointRadius: sizes, backgroundColor: "#198754" },
          ],
        },
        options: {
          responsive: true,
          animation: false,
          scales: { y: { beginAtZero: true, max: 100 } },
          plugins: { tooltip: { callbacks: { afterBody: (items) => (items.length && data.behind[items[0].dataIndex] ? data.behind_label : "") } } },
        },
      };
    },
  };
  const palette = ["#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#dc3545", "#20c997"];
  builders.report = (data) => ({
    type: data.kind,
    data: {
      labels: data.labels,
      datasets: data.datasets.map((d, i) => ({ ...d, backgroundColor: palette[i % palette.length], borderColor: palette[i % palette.length] })),
    },
    options: { responsive: true, animation: false, scales: { y: { beginAtZero: true } } },
  });
  for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
    const source = document.getElementById(canvas.dataset.source);
    const build = builders[canvas.dataset.chart];
    if (!source || !build || typeof Chart === "undefined") continue;
    canvas.chart = new Chart(canvas, build(JSON.parse(source.textContent)));
    canvas.dataset.drawn = "true";
  }
  window.dakRupiahBillions = rupiahBillions;
})();
