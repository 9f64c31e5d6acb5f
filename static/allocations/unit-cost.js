// The plan form's unit-cost check (#17.4): as the unit cost is typed (or the detail or unit chosen), ask the portal
// for the national median of the other lines of that detail, unit and year, and show it beside the field with the
// usual range; an outlier's warning reveals the justification and marks it required. Without JavaScript the server
// refuses the same outlier without a justification, with the same message.
(function () {
  "use strict";
  const cost = document.querySelector("input[data-unit-cost-check]");
  if (!cost) return;
  const form = cost.form;
  const detail = form.elements.detail;
  const unit = form.elements.unit;
  const reason = form.elements.unit_cost_justification;
  const summary = document.createElement("div");
  summary.className = "form-text";
  summary.setAttribute("role", "status");
  summary.dataset.testid = "unit-cost-check";
  const warning = document.createElement("div");
  warning.className = "alert alert-warning py-2 px-3 mt-2 mb-0 small";
  warning.setAttribute("role", "alert");
  warning.dataset.testid = "unit-cost-warning";
  warning.hidden = true;
  cost.after(summary, warning);
  const reasonBox = reason ? reason.parentElement : null;
  const label = reason ? form.querySelector('label[for="' + reason.id + '"]') : null;
  const mark = document.createElement("span");
  mark.className = "text-danger";
  mark.setAttribute("aria-hidden", "true");
  mark.textContent = " *";

  function requireReason(needed) {
    if (!reason) return;
    reason.required = needed;
    reason.setAttribute("aria-required", String(needed));
    if (needed && label) label.append(mark);
    else mark.remove();
    // Shown when needed, when it holds a justification already, or when the server refused it empty.
    reasonBox.hidden = !needed && !reason.value.trim() && !reasonBox.querySelector(".invalid-feedback");
  }

  let timer = null;
  let asked = 0;
  async function check() {
    const digits = cost.value.replace(/\D/g, "");
    const number = ++asked;
    if (!digits || !detail.value || !unit.value) {
      summary.textContent = "";
      warning.hidden = true;
      requireReason(false);
      return;
    }
    const query = new URLSearchParams({ detail: detail.value, unit: unit.value, unit_cost: digits });
    if (cost.dataset.item) query.set("item", cost.dataset.item);
    const response = await fetch(cost.dataset.unitCostCheck + "?" + query, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (number !== asked || !response.ok) return; // a later keystroke asked again
    const result = await response.json();
    summary.textContent = result.summary;
    warning.textContent = result.warning;
    warning.hidden = !result.outlier;
    requireReason(result.outlier);
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  }
  cost.addEventListener("input", later);
  detail.addEventListener("change", later);
  unit.addEventListener("change", later);
  requireReason(false);
  if (cost.value) check();
})();
