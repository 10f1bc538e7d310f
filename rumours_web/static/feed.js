// The "latest changes" panel: server-sent events from /api/feed, newest first.
(function () {
  "use strict";
  const list = document.getElementById("feed-list");
  const state = document.getElementById("feed-state");
  if (!list || !window.EventSource) return;
  const MAX_ITEMS = 50;
  const source = new EventSource("/api/feed");

  function link(kind, name) {
    const a = document.createElement("a");
    a.href = "/" + kind + "s/" + encodeURIComponent(name);
    a.textContent = name;
    return a;
  }

  source.onopen = function () { state.textContent = "live"; };
  source.onerror = function () { state.textContent = "reconnecting…"; };
  source.addEventListener("change", function (event) {
    const change = JSON.parse(event.data);
    const item = document.createElement("li");
    item.className = "feed-item";
    item.dataset.position = change.position;
    item.dataset.player = change.player;
    item.dataset.status = change.status;
    const status = document.createElement("span");
    status.className = "status s-" + change.status.replaceAll(" ", "-");
    status.textContent = change.status;
    item.append(link("player", change.player), " · ", link("club", change.club), " ", status);
    if (change.previous) {
      const was = document.createElement("span");
      was.className = "was";
      was.textContent = " (was " + change.previous + ")";
      item.append(was);
    }
    list.prepend(item);
    while (list.children.length > MAX_ITEMS) list.lastChild.remove();
  });
})();
