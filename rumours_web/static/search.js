// Search box suggestions: asks /api/search as the user types and lists players and clubs.
(function () {
  "use strict";
  const box = document.getElementById("search-box");
  const list = document.getElementById("search-suggestions");
  if (!box || !list) return;
  let pending = null;
  let asked = "";

  function show(suggestions) {
    list.replaceChildren();
    for (const hit of suggestions) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = "/" + hit.kind + "s/" + encodeURIComponent(hit.name);
      link.className = "suggestion";
      link.dataset.kind = hit.kind;
      const name = document.createElement("span");
      name.textContent = hit.name;
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = hit.kind;
      link.append(name, kind);
      item.append(link);
      list.append(item);
    }
    list.hidden = suggestions.length === 0;
  }

  async function ask(typed) {
    asked = typed;
    const response = await fetch("/api/search?q=" + encodeURIComponent(typed));
    if (!response.ok || typed !== asked) return;  // a later keystroke has asked again
    show((await response.json()).suggestions);
  }

  box.addEventListener("input", function () {
    clearTimeout(pending);
    const typed = box.value.trim();
    if (typed.length < 2) { show([]); return; }
    pending = setTimeout(function () { ask(typed).catch(function () { show([]); }); }, 120);
  });
  box.addEventListener("keydown", function (event) {
    const links = Array.from(list.querySelectorAll("a"));
    const at = links.findIndex(function (a) { return a.classList.contains("active"); });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (at >= 0) links[at].classList.remove("active");
      const next = links[(at + (event.key === "ArrowDown" ? 1 : links.length - 1)) % links.length];
      if (next) next.classList.add("active");
    } else if (event.key === "Enter" && at >= 0) {
      event.preventDefault();
      window.location.href = links[at].href;
    } else if (event.key === "Escape") {
      show([]);
    }
  });
  document.addEventListener("click", function (event) {
    if (!list.contains(event.target) && event.target !== box) list.hidden = true;
  });
})();
