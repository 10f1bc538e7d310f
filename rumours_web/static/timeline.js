// The player page's timeline and as-of control.
// One band per club, coloured by the pursuit's status over time (from the history's "status
// after each claim", and the board's status since its date for changes no claim of that club
// made, such as "lost out"); each claim is a dot with its source and fee on hover. Moving the
// as-of control re-renders the board table on the server and redraws the chart as of that day.
(function () {
  "use strict";
  const chart = document.getElementById("timeline");
  const control = document.getElementById("as-of-control");
  if (!chart || !control) return;
  const SVG = "http://www.w3.org/2000/svg";
  const DAY = 86400000;
  const player = chart.dataset.player;
  const range = document.getElementById("as-of-range");
  const picker = document.getElementById("as-of-date");
  const label = document.getElementById("as-of-label");
  const tip = document.getElementById("timeline-tip");
  const first = control.dataset.first ? Date.parse(control.dataset.first) : null;
  const last = control.dataset.last ? Date.parse(control.dataset.last) : null;
  const base = "/players/" + encodeURIComponent(player);

  const iso = function (ms) { return new Date(ms).toISOString().slice(0, 10); };
  const dayOf = function (ms) { return Math.round((ms - first) / DAY); };
  const status = function (text) { return "s-" + text.replaceAll(" ", "-"); };

  function el(name, attrs, parent) {
    const node = document.createElementNS(SVG, name);
    for (const key in attrs) node.setAttribute(key, attrs[key]);
    if (parent) parent.append(node);
    return node;
  }

  function bands(lines, pursuit, end) {
    const changes = lines.filter(function (l) { return l.status; }).map(function (l) {
      return { from: Date.parse(l.effective_on || l.reported_on), status: l.status };
    });
    if (pursuit && changes.length && pursuit.status !== changes[changes.length - 1].status) {
      changes.push({ from: Math.max(Date.parse(pursuit.since), changes[changes.length - 1].from), status: pursuit.status });
    }
    return changes.map(function (c, i) {
      return { from: c.from, to: i + 1 < changes.length ? changes[i + 1].from : end, status: c.status };
    }).filter(function (b) { return b.to > b.from || b.to === end; });
  }

  function describe(line) {
    const fee = line.fee ? (line.fee.text || line.fee.amount + " " + line.fee.currency) : "no fee";
    return line.reported_on + " · " + line.kind.replaceAll("_", " ") + " · " +
      (line.source || "no source") + " · " + fee +
      (line.status ? " → " + line.status : "") + (line.retracted ? " (retracted)" : "");
  }

  function axis(svg, x, from, to, left, width, bottom) {
    const group = el("g", { class: "axis" }, svg);
    const years = (to - from) / DAY > 600;
    const tick = new Date(from);
    tick.setUTCDate(1);
    while (tick.getTime() <= to) {
      if (tick.getTime() >= from && (!years || tick.getUTCMonth() === 0)) {
        const at = x(tick.getTime());
        el("line", { x1: at, x2: at, y1: 14, y2: bottom }, group);
        el("text", { x: at + 2, y: 11 }, group).textContent =
          years ? String(tick.getUTCFullYear()) : tick.toISOString().slice(0, 7);
      }
      tick.setUTCMonth(tick.getUTCMonth() + (years ? 1 : (to - from) / DAY > 240 ? 3 : 1));
    }
  }

  function draw(board, history, asOf) {
    const clubs = board.pursuits.map(function (p) { return p.club; });
    for (const line of history.claims) {
      if (line.club && !clubs.includes(line.club)) clubs.push(line.club);
    }
    // Dates a band may start on: claims' effective dates can precede the first report.
    const starts = history.claims.map(function (l) { return Date.parse(l.effective_on || l.reported_on); })
      .concat(board.pursuits.map(function (p) { return Date.parse(p.since); }));
    const from = Math.min.apply(null, starts.concat([first || Date.now()]));
    const latest = Math.max(last || from, asOf ? Date.parse(asOf) : from);
    const to = latest + Math.max(30 * DAY, (latest - from) * 0.06);
    const end = asOf ? Date.parse(asOf) : to;  // no as-of date: the statuses hold until now
    const left = 190, width = 780, row = 26, top = 22;
    const height = top + clubs.length * row + 8;
    const svg = el("svg", { viewBox: "0 0 " + (left + width + 10) + " " + height, role: "img",
      "aria-label": "Timeline of " + player + "'s pursuits" });
    const x = function (ms) { return left + ((ms - from) / (to - from)) * width; };
    axis(svg, x, from, to, left, width, height - 4);
    const seen = new Set();
    clubs.forEach(function (club, i) {
      const y = top + i * row;
      const group = el("g", { class: "club-row", "data-club": club }, svg);
      el("text", { x: left - 8, y: y + row / 2 + 4, "text-anchor": "end", class: "club-name" }, group).textContent = club;
      const lines = history.claims.filter(function (l) { return l.club === club; });
      const pursuit = board.pursuits.find(function (p) { return p.club === club; });
      for (const band of bands(lines, pursuit, end)) {
        seen.add(band.status);
        const rect = el("rect", { x: x(band.from), y: y + 5, height: row - 10, rx: 3,
          width: Math.max(2, x(band.to) - x(band.from)), class: "band " + status(band.status),
          "data-status": band.status }, group);
        el("title", {}, rect).textContent = club + ": " + band.status + " from " + iso(band.from);
      }
      for (const line of lines) {
        const dot = el("circle", { cx: x(Date.parse(line.effective_on || line.reported_on)),
          cy: y + row / 2, r: 5, class: "claim" + (line.retracted ? " retracted" : ""),
          "data-tip": describe(line) }, group);
        el("title", {}, dot).textContent = describe(line);
      }
    });
    if (asOf) el("line", { x1: x(end), x2: x(end), y1: 14, y2: height - 4, class: "as-of-line" }, svg);
    chart.replaceChildren(svg);
    legend(seen);
  }

  function legend(statuses) {
    const box = document.getElementById("legend");
    box.replaceChildren();
    for (const text of statuses) {
      const chip = document.createElement("span");
      chip.className = "status " + status(text);
      chip.textContent = text;
      box.append(chip);
    }
  }

  chart.addEventListener("mouseover", function (event) {
    const text = event.target.dataset ? event.target.dataset.tip : null;
    if (!text) return;
    tip.textContent = text;
    tip.hidden = false;
    tip.style.left = event.clientX + 12 + "px";
    tip.style.top = event.clientY + 12 + "px";
  });
  chart.addEventListener("mouseout", function () { tip.hidden = true; });

  async function show(asOf, withTable) {
    const query = asOf ? "?as_of=" + asOf : "";
    const [table, board, history] = await Promise.all([
      withTable ? fetch(base + "/board" + query).then(function (r) { return r.text(); }) : null,
      fetch("/api" + base + query).then(function (r) { return r.json(); }),
      fetch("/api" + base + "/history" + query).then(function (r) { return r.json(); }),
    ]);
    if (table !== null) document.getElementById("board-holder").innerHTML = table;
    draw(board, history, asOf);
    label.textContent = asOf || "today";
    window.history.replaceState(null, "", asOf ? "?as_of=" + asOf : window.location.pathname);
  }

  if (first !== null) {
    range.max = String(dayOf(last));
    range.value = picker.value ? String(Math.min(dayOf(Date.parse(picker.value)), dayOf(last))) : range.max;
    range.addEventListener("input", function () { label.textContent = iso(first + Number(range.value) * DAY); });
    range.addEventListener("change", function () {
      const asOf = iso(first + Number(range.value) * DAY);
      picker.value = asOf;
      show(asOf, true);
    });
  } else {
    range.disabled = true;
  }
  picker.addEventListener("change", function () {
    if (first !== null && picker.value) range.value = String(Math.max(0, Math.min(dayOf(Date.parse(picker.value)), Number(range.max))));
    show(picker.value || null, true);
  });
  show(picker.value || null, false);
})();
