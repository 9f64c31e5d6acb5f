// A form or button with data-confirm="question" asks before it acts (#10: revoking a token, ...). Inline
// handlers are not allowed by the portal's Content-Security-Policy, so this one file serves every page.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    const form = event.target;
    const button = event.submitter;
    const question = (button && button.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
