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
  // Decision forms: choosing a policy ticks that policy's default measures (<option data-defaults="content.remove account.strike">).
  for (const select of document.querySelectorAll("select#policy")) {
    select.addEventListener("change", () => {
      const defaults = (select.selectedOptions[0]?.dataset.defaults || "").split(" ");
      for (const box of select.form.querySelectorAll("input[type=checkbox][name=actions]")) box.checked = defaults.includes(box.value);
    });
  }
});

// Review pages: media reveal with timing, keyboard shortcuts for decisions, j/k through case lists.
document.addEventListener("DOMContentLoaded", () => {
  const token = () => document.querySelector("input[name=__RequestVerificationToken]")?.value;

  // Revealed media: the time it stays revealed is posted to the case's Reveal handler when it is hidden again or the page is
  // left (sendBeacon survives navigation). Blur and greyscale are CSS classes the page sets from the user's preferences.
  const shown = new Map();
  const report = (figure, beacon) => {
    const started = shown.get(figure);
    if (started === undefined) return null;
    shown.delete(figure);
    const body = new FormData();
    body.append("index", figure.dataset.media);
    body.append("milliseconds", String(Math.round(performance.now() - started)));
    const t = token();
    if (t) body.append("__RequestVerificationToken", t);
    if (beacon && navigator.sendBeacon) { navigator.sendBeacon(figure.dataset.revealUrl, body); return null; }
    return fetch(figure.dataset.revealUrl, { method: "POST", body, credentials: "same-origin" });
  };
  const toggle = (figure) => {
    const button = figure.querySelector("button.reveal");
    if (figure.classList.contains("revealed")) {
      figure.classList.remove("revealed");
      if (button) button.firstChild.textContent = button.dataset.show + " ";
      report(figure, false);
    } else {
      figure.classList.add("revealed");
      if (button) button.firstChild.textContent = button.dataset.hide + " ";
      shown.set(figure, performance.now());
    }
  };
  const figures = [...document.querySelectorAll("figure.media[data-blurred=true]")];
  for (const figure of figures) {
    for (const el of figure.querySelectorAll("button.reveal, img, video")) {
      el.addEventListener("click", (e) => {
        if (el.tagName === "VIDEO" && figure.classList.contains("revealed")) return; // controls work once revealed
        e.preventDefault();
        toggle(figure);
      });
    }
  }
  window.addEventListener("pagehide", () => { for (const figure of [...shown.keys()]) report(figure, true); });
  // A video the browser cannot decode shows the placeholder instead.
  for (const video of document.querySelectorAll("figure.media video")) {
    video.addEventListener("error", () => {
      video.hidden = true;
      const placeholder = video.parentElement.querySelector(".media-error");
      if (placeholder) placeholder.hidden = false;
      video.parentElement.dataset.state = "undecodable";
    });
  }

  // Keyboard shortcuts (documented on each page): never while typing in a field.
  const form = document.querySelector("form[data-shortcuts=decide]");
  const rows = [...document.querySelectorAll("table[data-keys=jk] tbody tr")];
  let current = -1;
  const move = (step) => {
    if (rows.length === 0) return;
    current = Math.max(0, Math.min(rows.length - 1, current + step));
    for (const r of rows) r.classList.remove("current");
    rows[current].classList.add("current");
    rows[current].focus();
  };
  document.addEventListener("keydown", (e) => {
    const target = e.target;
    const typing = target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) && target.type !== "radio" && target.type !== "checkbox";
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      const f = target instanceof HTMLElement ? target.closest("form") ?? form : form;
      if (f) { e.preventDefault(); f.requestSubmit(); }
      return;
    }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "r" && figures.length > 0) { e.preventDefault(); toggle(figures[0]); return; }
    if (e.key === "j") { e.preventDefault(); move(1); return; }
    if (e.key === "k") { e.preventDefault(); move(-1); return; }
    if (e.key === " " && current >= 0 && rows[current].contains(target)) {
      const box = rows[current].querySelector("input[type=checkbox]");
      if (box) { e.preventDefault(); box.checked = !box.checked; }
      return;
    }
    const scope = form ?? document;
    const radio = scope.querySelector(`input[type=radio][data-key="${CSS.escape(e.key)}"]`);
    if (radio) {
      e.preventDefault();
      radio.checked = true;
      const focus = radio.dataset.focus ? document.querySelector(radio.dataset.focus) : null;
      (focus ?? document.querySelector("#note"))?.focus();
    }
  });
});

// Case page and queue lists: context tabs, "show all" for long texts, o/Enter opens the highlighted row.
document.addEventListener("DOMContentLoaded", () => {
  // Tabs: without the script every panel is shown one after the other; with it, one at a time (arrow keys move between tabs).
  for (const list of document.querySelectorAll("[data-tabs]")) {
    const tabs = [...list.querySelectorAll("[role=tab]")];
    const panels = tabs.map((t) => document.getElementById(t.getAttribute("aria-controls")));
    const select = (i, focus) => {
      tabs.forEach((t, j) => {
        const on = i === j;
        t.setAttribute("aria-selected", on ? "true" : "false");
        t.tabIndex = on ? 0 : -1;
        if (panels[j]) panels[j].hidden = !on;
      });
      if (focus) tabs[i].focus();
    };
    tabs.forEach((t, i) => {
      t.addEventListener("click", () => select(i, false));
      t.addEventListener("keydown", (e) => {
        if (e.key === "ArrowRight") { e.preventDefault(); select((i + 1) % tabs.length, true); }
        if (e.key === "ArrowLeft") { e.preventDefault(); select((i - 1 + tabs.length) % tabs.length, true); }
      });
    });
    list.hidden = false;
    const wanted = tabs.findIndex((t) => "#" + t.getAttribute("aria-controls") === location.hash);
    select(wanted >= 0 ? wanted : 0, false);
  }
  // The decision pane ends at the bottom of the window wherever it starts (a flash message or a long title push it down), so
  // its submit bar is always on screen. (CSSOM, which the Content-Security-Policy allows; the stylesheet has a fixed fallback.)
  const side = document.querySelector(".case-side");
  if (side) {
    const fit = () => {
      if (getComputedStyle(side).position !== "sticky") { side.style.maxHeight = ""; return; }
      const top = Math.max(side.getBoundingClientRect().top, 8);
      side.style.maxHeight = Math.max(200, window.innerHeight - top - 8) + "px";
    };
    fit();
    window.addEventListener("scroll", fit, { passive: true });
    window.addEventListener("resize", fit);
  }
  for (const button of document.querySelectorAll("button[data-show-all]")) {
    const text = document.querySelector(button.dataset.showAll);
    const more = button.textContent;
    button.addEventListener("click", () => {
      const open = text.classList.toggle("expanded");
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.textContent = open ? button.dataset.less : more;
    });
  }
  // o or Enter on the highlighted row (j/k) opens its case; c claims the case that is open.
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target;
    const typing = target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) && target.type !== "radio" && target.type !== "checkbox";
    if (typing) return;
    if (e.key === "c") {
      const claim = document.querySelector("#claim-case");
      if (claim) { e.preventDefault(); claim.click(); }
      return;
    }
    const row = document.activeElement instanceof HTMLElement ? document.activeElement.closest("table[data-keys=jk] tbody tr.current") : null;
    if (!row || document.activeElement !== row) return;
    if (e.key === "o" || e.key === "Enter") {
      const link = row.querySelector("a[href]");
      if (link) { e.preventDefault(); link.click(); }
    }
  });
});
