// The strangler dashboard: reads the admin API every few seconds and draws the routes, the
// migration progress (inline SVG), the shadow differences and the audit log. Operators get the
// buttons to flip a route and to roll it back. The token is an HttpOnly cookie: this script never
// sees it; the browser sends it, and the Origin header that changes need, by itself.
"use strict";

const API = "/_strangler/api";
const MODES = ["legacy", "shadow", "canary", "new", "retired"];
const COLOURS = { legacy: "#8a8f98", shadow: "#6f42c1", canary: "#d9822b", new: "#2e8540", retired: "#333" };
const REFRESH_MS = 2000;
let role = "viewer";
const editing = new Set(); // routes whose controls the operator is using: not redrawn meanwhile

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(child ?? ""));
  }
  return node;
}

async function call(path, options) {
  const response = await fetch(API + path, { credentials: "same-origin", ...options });
  if (response.status === 401) {
    window.location.assign("/_strangler/login");
    throw new Error("signed out");
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail ? JSON.stringify(body.detail) : response.statusText);
  return body;
}

function post(path, body) {
  return call(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

function showError(error) {
  const box = document.getElementById("error");
  box.textContent = error ? String(error.message || error) : "";
  box.hidden = !error;
}

const number = (value, digits) => (value === null || value === undefined ? "–" : value.toFixed(digits));
const percent = (value) => (value === null || value === undefined ? "–" : (value * 100).toFixed(1) + "%");

function sideCells(side) {
  return [
    el("td", { class: "num req-rate" }, number(side.request_rate, 2)),
    el("td", { class: "num error-rate" }, percent(side.error_rate)),
    el("td", { class: "num p99" }, number(side.p99_ms, 1)),
  ];
}

function controls(route) {
  const select = el("select", { class: "flip-mode", "data-route": route.route });
  for (const mode of MODES) select.append(el("option", { value: mode, selected: mode === route.mode }, mode));
  const weight = el("input", { class: "flip-weight", type: "number", min: 0, max: 100, value: route.weight, title: "canary weight %" });
  const hold = () => editing.add(route.route);
  const release = () => editing.delete(route.route);
  for (const input of [select, weight]) {
    input.addEventListener("focus", hold);
    input.addEventListener("blur", release);
  }
  const flip = el("button", { class: "flip", type: "button", "data-route": route.route }, "Flip");
  flip.addEventListener("click", () => change(() => {
    const body = { path: route.path, method: route.methods[0], to: select.value, reason: "dashboard" };
    if (select.value === "canary") body.weight = Number(weight.value);
    return post("/cutover", body);
  }, route));
  const back = el("button", { class: "rollback", type: "button", "data-route": route.route }, "Roll back");
  back.addEventListener("click", () => change(() => post("/rollback", { path: route.path, method: route.methods[0], reason: "dashboard rollback" }), route));
  return el("td", { class: "operator-only actions" }, select, weight, flip, back);
}

function planCell(route) {
  const cell = el("td", { class: "plan" }, route.plan_step || "–");
  const status = route.plan ? route.plan.status : null;
  if (role !== "operator" || (status !== "running" && status !== "paused")) return cell;
  const target = { path: route.path, method: route.methods[0], reason: "dashboard" };
  const actions = [[status === "running" ? "pause" : "resume", status === "running" ? "Pause" : "Resume"], ["abort", "Abort"]];
  for (const [action, label] of actions) {
    const button = el("button", { class: "plan-" + action, type: "button", "data-route": route.route }, label);
    button.addEventListener("click", () => change(() => post("/plan/" + action, target), route));
    cell.append(" ", button);
  }
  return cell;
}

async function change(request, route) {
  editing.delete(route.route);
  try {
    await request();
    showError(null);
  } catch (error) {
    showError(error);
  }
  await refresh();
}

function drawRoutes(routes) {
  const body = document.querySelector("#routes tbody");
  const rows = [];
  for (const route of routes) {
    const existing = body.querySelector(`tr[data-route="${CSS.escape(route.route)}"]`);
    if (existing && editing.has(route.route)) {
      rows.push(existing);
      continue;
    }
    const shadow = route.shadow;
    const row = el("tr", { "data-route": route.route, "data-mode": route.mode },
      el("td", { class: "route" }, el("code", {}, route.route)),
      el("td", { class: "configured" }, route.configured_mode),
      el("td", { class: "mode" }, el("span", { class: "badge mode-" + route.mode }, route.mode)),
      el("td", { class: "num weight" }, route.mode === "canary" ? route.weight + "%" : "–"),
      planCell(route),
      el("td", { class: "num version" }, String(route.version)),
      ...sideCells(route.sides.legacy),
      ...sideCells(route.sides.new),
      el("td", { class: "num diff-rate", title: `${shadow.differed} of ${shadow.compared} differed, ${shadow.dropped} dropped` },
        shadow.compared ? percent(shadow.diff_rate) : "–"),
    );
    if (role === "operator") row.append(controls(route));
    rows.push(row);
  }
  body.replaceChildren(...rows);
}

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function drawProgress(progress) {
  const width = 720, height = 220, left = 40, right = 110, top = 10, bottom = 30;
  const points = progress.points;
  const box = document.getElementById("progress");
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img", "aria-label": "routes per mode over time" });
  const total = Math.max(1, ...points.map((p) => MODES.reduce((sum, m) => sum + (p.counts[m] || 0), 0)));
  const start = points[0].at, end = Math.max(points[points.length - 1].at, start + 1);
  const x = (at) => left + ((at - start) / (end - start)) * (width - left - right);
  const y = (count) => top + (1 - count / total) * (height - top - bottom);
  // stacked step areas: each band holds its mode's count until the next change
  let below = points.map(() => 0);
  for (const mode of MODES) {
    const above = points.map((p, i) => below[i] + (p.counts[mode] || 0));
    let upper = "", lower = "";
    points.forEach((p, i) => {
      const next = i + 1 < points.length ? points[i + 1].at : p.at;
      upper += `${x(p.at)},${y(above[i])} ${x(next)},${y(above[i])} `;
    });
    for (let i = points.length - 1; i >= 0; i--) {
      const next = i + 1 < points.length ? points[i + 1].at : points[i].at;
      lower += `${x(next)},${y(below[i])} ${x(points[i].at)},${y(below[i])} `;
    }
    chart.append(svg("polygon", { points: upper + lower, fill: COLOURS[mode], "data-mode": mode, class: "band" }));
    below = above;
  }
  chart.append(svg("line", { x1: left, y1: y(0), x2: width - right, y2: y(0), class: "axis" }));
  chart.append(svg("line", { x1: left, y1: top, x2: left, y2: y(0), class: "axis" }));
  chart.append(svg("text", { x: left - 6, y: y(total) + 4, "text-anchor": "end", class: "tick" }, String(total)));
  chart.append(svg("text", { x: left - 6, y: y(0), "text-anchor": "end", class: "tick" }, "0"));
  const day = (at) => new Date(at * 1000).toLocaleString();
  chart.append(svg("text", { x: left, y: height - 8, class: "tick" }, day(start)));
  chart.append(svg("text", { x: width - right, y: height - 8, "text-anchor": "end", class: "tick" }, day(end)));
  const latest = points[points.length - 1].counts;
  MODES.forEach((mode, i) => {
    const ly = top + 14 + i * 18;
    chart.append(svg("rect", { x: width - right + 10, y: ly - 10, width: 12, height: 12, fill: COLOURS[mode] }));
    chart.append(svg("text", { x: width - right + 28, y: ly, class: "legend", "data-mode": mode }, `${mode} ${latest[mode] || 0}`));
  });
  box.replaceChildren(chart);
}

function drawDifferences(differences) {
  const box = document.getElementById("differences");
  if (!differences.length) {
    box.replaceChildren(el("p", { class: "empty", id: "no-differences" }, "No shadow differences recorded. Put a route in shadow mode to compare legacy and new on live traffic."));
    return;
  }
  box.replaceChildren(...differences.map((d) => el("article", { class: "difference" },
    el("h3", {}, `${d.route} — ${d.method} ${d.path}`),
    el("p", {}, `${new Date(d.at * 1000).toLocaleString()}: ${d.summary}`),
    el("ul", {}, ...d.details.map((line) => el("li", {}, line))),
    el("pre", { class: "curl" }, d.curl),
  )));
}

function drawAudit(entries) {
  const body = document.querySelector("#audit tbody");
  const describe = (mode, weight) => (mode === null ? "(file)" : mode === "canary" ? `canary ${weight}%` : mode);
  body.replaceChildren(...entries.slice(-20).reverse().map((e) => el("tr", {},
    el("td", {}, new Date(e.at * 1000).toLocaleString()),
    el("td", {}, el("code", {}, e.route)),
    el("td", {}, e.who),
    el("td", {}, describe(e.from_mode, e.from_weight)),
    el("td", {}, describe(e.to_mode, e.to_weight)),
    el("td", { class: "num" }, String(e.version)),
    el("td", {}, e.why),
  )));
}

async function refresh() {
  try {
    const [routes, progress, differences, audit] = await Promise.all([
      call("/routes"), call("/progress"), call("/shadow?limit=10"), call("/audit?limit=20"),
    ]);
    drawRoutes(routes);
    drawProgress(progress);
    drawDifferences(differences);
    drawAudit(audit);
    document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
    document.body.dataset.loaded = "true";
  } catch (error) {
    showError(error);
  }
}

async function start() {
  const me = await call("/me");
  role = me.role;
  document.getElementById("who").textContent = `${me.name} (${me.role})`;
  document.body.classList.toggle("operator", role === "operator");
  await refresh();
  setInterval(refresh, REFRESH_MS);
}

document.addEventListener("DOMContentLoaded", () => start().catch(showError));
