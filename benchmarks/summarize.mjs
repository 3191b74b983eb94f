#!/usr/bin/env node
// Turns a results folder of run.sh (r<round>-<scenario>-<server>.json) into a markdown table:
// median [min–max] per server over the rounds, the ratios of bms to node and to bare, and the
// issue's targets checked against the medians.
//
//   node benchmarks/summarize.mjs benchmarks/results/<run>
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: summarize.mjs <results folder>");
  process.exit(2);
}

const runs = {}; // scenario -> server -> [result]
for (const f of readdirSync(dir)) {
  const m = /^r(\d+)-([a-z0-9]+)-([a-z]+)\.json$/.exec(f);
  if (!m) continue;
  const r = JSON.parse(readFileSync(join(dir, f), "utf8"));
  ((runs[m[2]] ??= {})[m[3]] ??= []).push(r);
}
const servers = ["bms", "node", "bare"].filter((s) => Object.values(runs).some((x) => x[s]));
const scenarioOf = (prefix) => Object.keys(runs).find((k) => k.startsWith(prefix));

const get = (o, path) => path.split(".").reduce((v, k) => (v == null ? undefined : v[k]), o);
function stats(scenario, server, path) {
  const vals = (runs[scenario]?.[server] ?? []).map((r) => get(r, path)).filter((v) => typeof v === "number");
  if (vals.length === 0) return null;
  vals.sort((a, b) => a - b);
  const mid = vals.length >> 1;
  const median = vals.length % 2 ? vals[mid] : (vals[mid - 1] + vals[mid]) / 2;
  return { median, min: vals[0], max: vals[vals.length - 1], n: vals.length };
}

const fmt = (v) => {
  if (v == null) return "–";
  const a = Math.abs(v);
  const d = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  return v.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
};
const cell = (s) => (s ? (s.n > 1 ? `${fmt(s.median)} [${fmt(s.min)}–${fmt(s.max)}]` : fmt(s.median)) : "–");
const ratio = (a, b) => (a && b && b.median ? `${(a.median / b.median).toFixed(2)}×` : "–");

const rows = [
  ["bcastCpu", "b500", "Broadcast 500 clients × 20 pub/s: server CPU µs per delivery", "phases.bcast.server.cpuUsPerDelivery"],
  ["bcastUser", "b500", "  … of which user µs", "phases.bcast.server.userUsPerDelivery"],
  ["bcastSys", "b500", "  … of which kernel µs", "phases.bcast.server.sysUsPerDelivery"],
  ["bcastRate", "b500", "  deliveries per second", "phases.bcast.deliveriesPerSec"],
  ["bcastRatio", "b500", "  delivery ratio", "phases.bcast.deliveryRatio"],
  ["bcastP50", "b500", "  latency p50 ms", "phases.bcast.latency.p50Ms"],
  ["bcastP99", "b500", "  latency p99 ms", "phases.bcast.latency.p99Ms"],
  ["bcastPct", "b500", "  server CPU % of a core", "phases.bcast.server.cpuPctOfCore"],
  ["echoP50", "e1000", "Echo 1,000 clients × 1 msg/s: latency p50 ms", "phases.echo.latency.p50Ms"],
  ["echoP99", "e1000", "  latency p99 ms", "phases.echo.latency.p99Ms"],
  ["echoP999", "e1000", "  latency p99.9 ms", "phases.echo.latency.p999Ms"],
  ["echoCpu", "e1000", "  server CPU µs per echo", "phases.echo.server.cpuUsPerMessage"],
  ["echoPct", "e1000", "  server CPU % of a core", "phases.echo.server.cpuPctOfCore"],
  ["satBest", "s1000", "Saturation, room of 1,000: best sustained deliveries/s", "phases.saturation.best.deliveriesPerSec"],
  ["satBestPerCore", "s1000", "  deliveries per server core-second (at that step)", "phases.saturation.best.deliveriesPerServerCoreSecond"],
  ["satBestCpu", "s1000", "  server CPU µs per delivery (at that step)", "phases.saturation.best.cpuUsPerDelivery"],
  ["satBestPct", "s1000", "  server CPU % of a core (at that step)", "phases.saturation.best.serverCpuPctOfCore"],
  ["satBestGen", "s1000", "  generator CPU % of a core (at that step)", "phases.saturation.best.generatorCpuPctOfCore"],
  ["satPeak", "s1000", "Saturation peak with every delivery arriving (any p99): deliveries/s", "phases.saturation.peakComplete.deliveriesPerSec"],
  ["satPeakPerCore", "s1000", "  deliveries per server core-second (at that step)", "phases.saturation.peakComplete.deliveriesPerServerCoreSecond"],
  ["satPeakPct", "s1000", "  server CPU % of a core (at that step)", "phases.saturation.peakComplete.serverCpuPctOfCore"],
  ["satPeakP99", "s1000", "  latency p99 ms (at that step)", "phases.saturation.peakComplete.latency.p99Ms"],
  ["connect500", "b500", "Connect: connections/s (500)", "phases.connect.connectionsPerSec"],
  ["idle1000", "e1000", "Idle RSS KiB per connection at 1,000", "phases.idle.rssPerConnectionKb"],
  ["idleBig", "i", "Idle RSS KiB per connection at 10,000", "phases.idle.rssPerConnectionKb"],
  ["idleBigConnected", "i", "  connected of 10,000 (min over rounds)", "phases.connect.connected"],
  ["idleBigRate", "i", "  connections/s", "phases.connect.connectionsPerSec"],
  ["idleBigRss", "i", "  server RSS MiB with all connected", "phases.idle.rssAfterKb"],
];

const out = [];
const rounds = Math.max(0, ...Object.values(runs).flatMap((x) => Object.values(x).map((a) => a.length)));
const loads = Object.values(runs).flatMap((x) => Object.values(x).flat()).flatMap((r) => [r.loadAverage1mAtStart, r.loadAverage1mAtEnd]).filter((v) => typeof v === "number").sort((a, b) => a - b);
const loadNote = loads.length ? ` Machine 1-minute load average during the runs: median ${loads[loads.length >> 1]}, range ${loads[0]}–${loads[loads.length - 1]} (on ${availableParallelism()} cores; above that, other work competed with the benchmark and latency figures are inflated).` : "";
out.push(`Rounds: ${rounds}. Cells: median [min–max] over the rounds. Ratios compare medians.${loadNote}`);
out.push("");
out.push(`| Metric | ${servers.join(" | ")} | bms / node | bms / bare |`);
out.push(`|---|${servers.map(() => "---:").join("|")}|---:|---:|`);
const S = {};
for (const [key, prefix, rawLabel, path] of rows) {
  const big = scenarioOf("i")?.slice(1);
  const label = big ? rawLabel.replaceAll("10,000", Number(big).toLocaleString("en-US")) : rawLabel;
  const sc = scenarioOf(prefix);
  if (!sc) continue;
  const isMiB = path.endsWith("rssAfterKb");
  const st = Object.fromEntries(
    servers.map((s) => {
      const x = stats(sc, s, path);
      if (x && isMiB) for (const k of ["median", "min", "max"]) x[k] /= 1024;
      if (x && label.includes("(min over rounds)")) x.median = x.min;
      return [s, x];
    }),
  );
  S[key] = st;
  out.push(`| ${label.replace(/^ {2}/, "&nbsp;&nbsp;")} | ${servers.map((s) => cell(st[s])).join(" | ")} | ${ratio(st.bms, st.node)} | ${ratio(st.bms, st.bare)} |`);
}

// Saturation ramp at equal offered load: CPU per delivery at every publish rate that every server completed.
const sat = scenarioOf("s");
if (sat) {
  const rateSets = servers.map((srv) => {
    const perRun = (runs[sat][srv] ?? []).map((r) => new Set((r.phases?.saturation?.steps ?? []).filter((x) => x.deliveryRatio >= 1).map((x) => x.publishRatePerSec)));
    return new Set(perRun.flatMap((set) => [...set]));
  });
  const common = [...(rateSets[0] ?? [])].filter((r) => rateSets.every((set) => set.has(r))).sort((a, b) => a - b);
  for (const rate of common) {
    const st = Object.fromEntries(
      servers.map((srv) => {
        const vals = (runs[sat][srv] ?? [])
          .map((r) => r.phases.saturation.steps.find((x) => x.publishRatePerSec === rate && x.deliveryRatio >= 1)?.server?.cpuUsPerDelivery)
          .filter((v) => typeof v === "number")
          .sort((a, b) => a - b);
        if (!vals.length) return [srv, null];
        const mid = vals.length >> 1;
        return [srv, { median: vals.length % 2 ? vals[mid] : (vals[mid - 1] + vals[mid]) / 2, min: vals[0], max: vals[vals.length - 1], n: vals.length }];
      }),
    );
    S[`satAt${rate}`] = st;
    const members = runs[sat][servers[0]][0].phases.saturation.steps[0].roomSize;
    out.push(`| Saturation ramp at ${rate} pub/s × ${members.toLocaleString("en-US")} (${(rate * members).toLocaleString("en-US")} deliveries/s offered): server CPU µs per delivery | ${servers.map((x) => cell(st[x])).join(" | ")} | ${ratio(st.bms, st.node)} | ${ratio(st.bms, st.bare)} |`);
  }
}

// Targets of the performance issue, checked on the medians.
const m = (key, s) => S[key]?.[s]?.median;
const check = (ok) => (ok === undefined ? "n/a" : ok ? "met" : "**missed**");
const cmp = (a, b, f) => (a == null || b == null ? undefined : f(a, b));
const targets = [
  ["Broadcast CPU per delivery ≤ 0.8× Node", cmp(m("bcastCpu", "bms"), m("bcastCpu", "node"), (a, b) => a <= 0.8 * b)],
  ["Broadcast CPU per delivery ≤ 1.1× bare Kestrel", cmp(m("bcastCpu", "bms"), m("bcastCpu", "bare"), (a, b) => a <= 1.1 * b)],
  ["Saturation deliveries per server core-second ≥ 3× Node (p99 ≤ 1 s step)", cmp(m("satBestPerCore", "bms"), m("satBestPerCore", "node"), (a, b) => a >= 3 * b)],
  ["Saturation deliveries per server core-second ≥ 3× Node (peak complete step)", cmp(m("satPeakPerCore", "bms"), m("satPeakPerCore", "node"), (a, b) => a >= 3 * b)],
  ["Saturation ramp: deliveries per server core-second ≥ 3× Node at the highest rate all servers completed", (() => {
    const keys = Object.keys(S).filter((k) => k.startsWith("satAt")).sort((a, b) => Number(b.slice(5)) - Number(a.slice(5)));
    return keys.length ? cmp(m(keys[0], "bms"), m(keys[0], "node"), (a, b) => b / a >= 3) : undefined;
  })()],
  ["Echo p99 ≤ Node's", cmp(m("echoP99", "bms"), m("echoP99", "node"), (a, b) => a <= b)],
  ["Echo server CPU ≤ Node's", cmp(m("echoCpu", "bms"), m("echoCpu", "node"), (a, b) => a <= b)],
  ["Idle RSS per connection at 10,000 ≤ 0.75× Node", cmp(m("idleBig", "bms"), m("idleBig", "node"), (a, b) => a <= 0.75 * b)],
  ["10,000 connections held with no errors", S.idleBigConnected?.bms ? S.idleBigConnected.bms.min >= Number(scenarioOf("i").slice(1)) && !Object.values(runs[scenarioOf("i")]?.bms ?? []).some((r) => r.phases?.connect?.failed) : undefined],
];
out.push("");
out.push("| Target | bms |");
out.push("|---|---|");
for (const [t, ok] of targets) out.push(`| ${t} | ${check(ok)} |`);

// Warnings: generator overload, failed deliveries, errors.
const warn = [];
for (const [sc, byServer] of Object.entries(runs)) {
  for (const [s, list] of Object.entries(byServer)) {
    for (const r of list) {
      for (const w of r.warnings ?? []) warn.push(`${sc}/${s}: ${w}`);
      if (r.error) warn.push(`${sc}/${s}: error ${r.error.split("\n")[0]}`);
      const sat = r.phases?.saturation;
      if (sat) warn.push(`${sc}/${s}: saturation: best ended by ${sat.bestEndedBy}; ramp stopped by ${sat.stopReason}; last step limited by ${sat.limitedBy}`);
    }
  }
}
if (warn.length) {
  out.push("");
  out.push("Notes from the runs:");
  for (const w of [...new Set(warn)]) out.push(`- ${w}`);
}
console.log(out.join("\n"));
