// The console's only script (no inline scripts: the Content-Security-Policy forbids them). Pages work without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // <form data-confirm="question">: ask before submitting an irreversible change.
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (e) => {
      if (!window.confirm(form.dataset.confirm)) e.preventDefault();
    });
  }
  // <input type=checkbox data-select-all="name">: ticks every checkbox called name in the same form.
  for (const box of document.querySelectorAll("input[data-select-all]")) {
    box.addEventListener("change", () => {
      for (const other of box.form.querySelectorAll(`input[type=checkbox][name="${box.dataset.selectAll}"]`)) other.checked = box.checked;
    });
  }
});
