#!/usr/bin/env node
// Load generator for BMS Realtime and its reference servers. See README.md for the phases.
//
//   node loadgen.mjs --url http://127.0.0.1:3000 --server-pid 1234 --clients 500 [--mode sio|bare]
//
// The coordinator (this process) forks --workers generator processes (lib/worker.mjs), splits the
// clients and the send rates between them, reads the server's CPU and memory from /proc/PID, and
// prints one JSON document on stdout (progress goes to stderr).
import { fork } from "node:child_process";
import { writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Histogram } from "./lib/histogram.mjs";
import { cpuDelta, nowUs, readCpu, readRssKb, readThreads } from "./lib/proc.mjs";

const { values: o } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:3000" },
    mode: { type: "string", default: "sio" },
    "server-pid": { type: "string" },
    label: { type: "string", default: "" },
    clients: { type: "string", default: "500" },
    phases: { type: "string", default: "connect,idle,echo,bcast,saturation" },
    workers: { type: "string", default: "1" },
    "warmup-clients": { type: "string", default: "50" },
    "connect-concurrency": { type: "string", default: "50" },
    "connect-timeout-ms": { type: "string", default: "20000" },
    "idle-seconds": { type: "string", default: "5" },
    "echo-rate": { type: "string" },
    "echo-seconds": { type: "string", default: "10" },
    "bcast-rate": { type: "string", default: "20" },
    "bcast-seconds": { type: "string", default: "10" },
    "sat-start": { type: "string", default: "20" },
    "sat-factor": { type: "string", default: "1.5" },
    "sat-step-seconds": { type: "string", default: "5" },
    "sat-max-steps": { type: "string", default: "14" },
    "sat-max-p99-ms": { type: "string", default: "1000" },
    "sat-hard-p99-ms": { type: "string", default: "8000" },
    "drain-ms": { type: "string", default: "10000" },
    "payload-bytes": { type: "string", default: "32" },
    room: { type: "string", default: "bench" },
    out: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (o.help) {
  const defaults = Object.entries(o).filter(([k]) => k !== "help").map(([k, v]) => `  --${k} ${v ?? ""}`);
  console.log("usage: node loadgen.mjs [options]   (see benchmarks/README.md)\ndefaults:\n" + defaults.join("\n"));
  process.exit(0);
}

const num = (k) => Number(o[k]);
const clientsTotal = num("clients");
const workerCount = Math.max(1, Math.min(num("workers"), clientsTotal));
const serverPid = o["server-pid"] ? Number(o["server-pid"]) : null;
const phases = new Set(o.phases.split(",").map((s) => s.trim()));
const genCores = availableParallelism();
const GEN_LIMIT_PCT = 85;

const log = (...a) => console.error(`[loadgen ${o.label || o.mode}]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (v, d = 2) => (v === null || v === undefined || !Number.isFinite(v) ? null : Number(v.toFixed(d)));

// --- workers --------------------------------------------------------------------------------
const workerPath = fileURLToPath(new URL("./lib/worker.mjs", import.meta.url));
const workers = Array.from({ length: workerCount }, () => {
  const child = fork(workerPath, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const pending = new Map();
  child.on("message", (m) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(new Error(m.error));
  });
  child.on("exit", (code) => {
    for (const p of pending.values()) p.reject(new Error(`generator worker exited (${code})`));
  });
  let seq = 0;
  return {
    child,
    call(cmd, args) {
      return new Promise((resolve, reject) => {
        const id = ++seq;
        pending.set(id, { resolve, reject });
        child.send({ id, cmd, args });
      });
    },
  };
});
const share = (total, i) => Math.floor(total / workerCount) + (i < total % workerCount ? 1 : 0);
const all = (fn) => Promise.all(workers.map((w, i) => fn(w, i)));

const PLURAL = { Connection: "connections", Message: "messages", Delivery: "deliveries" };

// --- server probes --------------------------------------------------------------------------
function serverMark() {
  return serverPid ? { cpu: readCpu(serverPid), at: nowUs() } : null;
}

function serverSince(mark, units, unitName) {
  if (!mark) return null;
  const d = cpuDelta(mark.cpu, readCpu(serverPid));
  const wallS = (nowUs() - mark.at) / 1e6;
  const r = {
    cpuS: round(d.total, 4),
    userS: round(d.user, 3),
    sysS: round(d.sys, 3),
    cpuPctOfCore: round((100 * d.total) / wallS, 1),
    rssKb: readRssKb(serverPid),
    threads: readThreads(serverPid),
  };
  if (units > 0) {
    r[`cpuUsPer${unitName}`] = round((d.total * 1e6) / units, 2);
    r[`userUsPer${unitName}`] = round((d.user * 1e6) / units, 2);
    r[`sysUsPer${unitName}`] = round((d.sys * 1e6) / units, 2);
    r[`cpuSPer1000${PLURAL[unitName][0].toUpperCase() + PLURAL[unitName].slice(1)}`] = round((d.total * 1000) / units, 5);
    r[PLURAL[unitName] + "PerCoreSecond"] = d.total > 0 ? Math.round(units / d.total) : null;
  }
  return r;
}

function genSummary(results, warnings, phase) {
  const per = results.map((r) => r.gen);
  const total = per.reduce((s, g) => s + g.pctOfCore, 0);
  const maxWorker = Math.max(...per.map((g) => g.pctOfCore));
  const loopP99 = Math.max(...results.map((r) => r.loop?.p99Ms ?? 0));
  const overloaded = maxWorker > GEN_LIMIT_PCT || total / Math.min(genCores, workerCount) > GEN_LIMIT_PCT;
  if (overloaded) {
    warnings.push(`${phase}: generator above ${GEN_LIMIT_PCT}% CPU (${total.toFixed(0)}% of one core): figures are generator-limited`);
  }
  return {
    cpuPctOfCore: round(total, 1),
    userS: round(per.reduce((s, g) => s + g.userS, 0), 3),
    sysS: round(per.reduce((s, g) => s + g.sysS, 0), 3),
    eventLoopP99Ms: round(loopP99, 2),
    overloaded,
  };
}

const merge = (results, key) => results.reduce((h, r) => h.merge(r[key]), new Histogram());

// --- phases ---------------------------------------------------------------------------------
const result = {
  label: o.label,
  mode: o.mode,
  url: o.url,
  serverPid,
  clients: clientsTotal,
  workers: workerCount,
  generatorCores: genCores,
  payloadBytes: num("payload-bytes"),
  startedAt: new Date().toISOString(),
  // Other work on the machine shows here: latency figures mean little when it is far above the core count.
  loadAverage1mAtStart: round(loadavg()[0], 2),
  phases: {},
  warnings: [],
};
const warnings = result.warnings;

async function connectAll(count) {
  const m = serverMark();
  const rs = await all((w, i) =>
    w.call("connect", {
      url: o.url,
      mode: o.mode,
      count: share(count, i),
      concurrency: Math.max(1, Math.ceil(num("connect-concurrency") / workerCount)),
      timeoutMs: num("connect-timeout-ms"),
    }),
  );
  const connected = rs.reduce((s, r) => s + r.connected, 0);
  const failed = rs.reduce((s, r) => s + r.failed, 0);
  const elapsedS = Math.max(...rs.map((r) => r.elapsedMs)) / 1000;
  const errors = {};
  for (const r of rs) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  return { connected, failed, errors, elapsedS, rs, server: serverSince(m, connected, "Connection") };
}

async function warmup() {
  const n = Math.min(num("warmup-clients"), clientsTotal);
  if (n <= 0) return;
  const c = await connectAll(n);
  await all((w, i) => w.call("join", { room: o.room + "-warmup", concurrency: 10 }));
  await all((w) =>
    w.call("echo", { rate: 200 / workerCount, startAt: nowUs() + 20000, durationMs: 500, drainMs: 2000, payloadBytes: 32 }),
  );
  await all((w) => w.call("bcastStart", { room: o.room + "-warmup", rate: 20 / workerCount, startAt: nowUs() + 20000, durationMs: 500, payloadBytes: 32 }));
  await all((w) => w.call("bcastDrain", { expected: 10 * n, drainMs: 1000 }));
  await all((w) => w.call("close"));
  log(`warm-up: ${c.connected} clients`);
  await sleep(1000);
}

async function phaseConnect() {
  const rssBefore = serverPid ? readRssKb(serverPid) : null;
  const c = await connectAll(clientsTotal);
  if (c.failed > 0) warnings.push(`connect: ${c.failed} of ${clientsTotal} connections failed: ${JSON.stringify(c.errors)}`);
  result.phases.connect = {
    clients: clientsTotal,
    connected: c.connected,
    failed: c.failed,
    errors: c.errors,
    seconds: round(c.elapsedS, 3),
    connectionsPerSec: round(c.connected / c.elapsedS, 1),
    server: c.server,
    generator: genSummary(c.rs, warnings, "connect"),
  };
  log(`connect: ${c.connected}/${clientsTotal} in ${c.elapsedS.toFixed(2)} s`);
  return rssBefore;
}

async function phaseIdle(rssBefore) {
  const m = serverMark();
  await sleep(num("idle-seconds") * 1000);
  const rssAfter = readRssKb(serverPid);
  const connected = result.phases.connect.connected;
  result.phases.idle = {
    seconds: num("idle-seconds"),
    connections: connected,
    rssBeforeKb: rssBefore,
    rssAfterKb: rssAfter,
    rssPerConnectionKb: round((rssAfter - rssBefore) / connected, 2),
    server: serverSince(m, 0),
  };
  log(`idle: ${result.phases.idle.rssPerConnectionKb} KiB RSS per connection`);
}

async function phaseEcho() {
  const rate = o["echo-rate"] ? num("echo-rate") : clientsTotal;
  const durationMs = num("echo-seconds") * 1000;
  const m = serverMark();
  const startAt = nowUs() + 100_000;
  const rs = await all((w) =>
    w.call("echo", { rate: rate / workerCount, startAt, durationMs, drainMs: num("drain-ms"), payloadBytes: num("payload-bytes") }),
  );
  const sent = rs.reduce((s, r) => s + r.sent, 0);
  const received = rs.reduce((s, r) => s + r.received, 0);
  const disconnected = Math.max(...rs.map((r) => r.disconnected));
  if (disconnected) warnings.push(`echo: ${disconnected} clients disconnected`);
  result.phases.echo = {
    ratePerSec: rate,
    seconds: durationMs / 1000,
    sent,
    received,
    replyRatio: round(received / sent, 5),
    latency: merge(rs, "hist").summaryMs(),
    serviceLatency: merge(rs, "service").summaryMs(),
    server: serverSince(m, received, "Message"),
    generator: genSummary(rs, warnings, "echo"),
  };
  const e = result.phases.echo;
  log(`echo: ${received}/${sent} p50 ${e.latency.p50Ms} ms p99 ${e.latency.p99Ms} ms, server ${e.server?.cpuUsPerMessage} µs/msg`);
}

async function broadcast(rate, durationMs, phase) {
  const m = serverMark();
  const startAt = nowUs() + 100_000;
  const starts = await all((w) =>
    w.call("bcastStart", { room: o.room, rate: rate / workerCount, startAt, durationMs, payloadBytes: num("payload-bytes") }),
  );
  const published = starts.reduce((s, r) => s + r.published, 0);
  const members = result.phases.connect.connected;
  const expected = published * members;
  const rs = await all((w, i) =>
    w.call("bcastDrain", { expected: published * share(members, i), drainMs: num("drain-ms") }),
  );
  const received = rs.reduce((s, r) => s + r.received, 0);
  const disconnected = Math.max(...rs.map((r) => r.disconnected));
  // From the first intended publish to the last delivery: longer than the phase when the backlog drains late.
  const windowS = Math.max(durationMs / 1000, (Math.max(...rs.map((r) => r.lastAt)) - startAt) / 1e6);
  return {
    publishRatePerSec: rate,
    roomSize: members,
    seconds: durationMs / 1000,
    published,
    expectedDeliveries: expected,
    deliveries: received,
    deliveriesPerSec: Math.round(received / windowS),
    offeredDeliveriesPerSec: Math.round(expected / (durationMs / 1000)),
    windowSeconds: round(windowS, 2),
    deliveryRatio: round(received / expected, 5),
    disconnected,
    latency: merge(rs, "hist").summaryMs(),
    serviceLatency: merge(rs, "service").summaryMs(),
    server: serverSince(m, received, "Delivery"),
    generator: genSummary(rs, warnings, phase),
  };
}

async function joinRoom() {
  if (result.phases.join) return;
  const started = nowUs();
  await all((w) => w.call("join", { room: o.room, concurrency: 50 }));
  result.phases.join = { seconds: round((nowUs() - started) / 1e6, 3) };
}

async function phaseBcast() {
  await joinRoom();
  const b = await broadcast(num("bcast-rate"), num("bcast-seconds") * 1000, "bcast");
  if (b.deliveryRatio < 1) warnings.push(`bcast: delivery ratio ${b.deliveryRatio}`);
  result.phases.bcast = b;
  log(`bcast: ${b.deliveriesPerSec}/s ratio ${b.deliveryRatio} p50 ${b.latency.p50Ms} ms p99 ${b.latency.p99Ms} ms, server ${b.server?.cpuUsPerDelivery} µs/delivery`);
}

async function phaseSaturation() {
  await joinRoom();
  const steps = [];
  let best = null;
  let p99Exceeded = null;
  let stopReason = "max steps reached";
  let rate = num("sat-start");
  for (let k = 0; k < num("sat-max-steps"); k++) {
    const r = Math.round(rate);
    const s = await broadcast(r, num("sat-step-seconds") * 1000, `saturation@${r}/s`);
    steps.push(s);
    log(`saturation ${r} pub/s: ${s.deliveriesPerSec} deliveries/s ratio ${s.deliveryRatio} p99 ${s.latency.p99Ms} ms server ${s.server?.cpuPctOfCore}% gen ${s.generator.cpuPctOfCore}%`);
    if (s.deliveryRatio < 1) {
      stopReason = `delivery ratio ${s.deliveryRatio} at ${r} publishes/s`;
      break;
    }
    if (s.disconnected > 0) {
      stopReason = `${s.disconnected} clients disconnected at ${r} publishes/s`;
      break;
    }
    // The rule ends "best" at the first step whose p99 exceeds 1 s; the ramp goes on (up to a hard p99 cap)
    // to find the peak at which every delivery still arrives, which is what CPU efficiency is read from.
    if (!p99Exceeded && s.latency.p99Ms > num("sat-max-p99-ms")) {
      p99Exceeded = `p99 ${s.latency.p99Ms} ms at ${r} publishes/s`;
    }
    if (!p99Exceeded) best = s;
    if (s.latency.p99Ms > num("sat-hard-p99-ms")) {
      stopReason = `p99 ${s.latency.p99Ms} ms above the hard cap at ${r} publishes/s`;
      break;
    }
    rate *= num("sat-factor");
    await sleep(500);
  }
  // The highest throughput at which every delivery arrived, whatever its latency: on a shared or noisy machine the
  // p99 rule can stop the ramp long before either side runs out of CPU.
  const complete = steps.filter((s) => s.deliveryRatio >= 1 && s.disconnected === 0);
  const peak = complete.reduce((a, s) => (!a || s.deliveriesPerSec > a.deliveriesPerSec ? s : a), null);
  const last = steps[steps.length - 1];
  const limitedBy = last?.generator.overloaded
    ? "generator"
    : last?.server && last.server.cpuPctOfCore >= 90
      ? "server"
      : "undetermined (neither side at its CPU limit)";
  result.phases.saturation = {
    stopReason,
    bestEndedBy: p99Exceeded ?? stopReason,
    limitedBy,
    best: stepSummary(best),
    peakComplete: stepSummary(peak),
    steps,
  };
}

function stepSummary(s) {
  return (
    s && {
      publishRatePerSec: s.publishRatePerSec,
      deliveriesPerSec: s.deliveriesPerSec,
      latency: s.latency,
      serverCpuPctOfCore: s.server?.cpuPctOfCore ?? null,
      deliveriesPerServerCoreSecond: s.server?.deliveriesPerCoreSecond ?? null,
      cpuUsPerDelivery: s.server?.cpuUsPerDelivery ?? null,
      userUsPerDelivery: s.server?.userUsPerDelivery ?? null,
      sysUsPerDelivery: s.server?.sysUsPerDelivery ?? null,
      generatorCpuPctOfCore: s.generator.cpuPctOfCore,
      generatorOverloaded: s.generator.overloaded,
    }
  );
}

async function main() {
  log(`${workerCount} worker(s), ${clientsTotal} clients, ${o.url}, server pid ${serverPid ?? "(none)"}`);
  try {
    if (phases.has("connect") || phases.size > 0) {
      await warmup();
      const rssBefore = await phaseConnect();
      if (phases.has("idle") && serverPid) await phaseIdle(rssBefore);
    }
    if (phases.has("echo")) await phaseEcho();
    if (phases.has("bcast")) await phaseBcast();
    if (phases.has("saturation")) await phaseSaturation();
    await all((w) => w.call("close"));
  } catch (err) {
    result.error = String(err?.stack ?? err);
    log(result.error);
  }
  result.finishedAt = new Date().toISOString();
  result.loadAverage1mAtEnd = round(loadavg()[0], 2);
  const json = JSON.stringify(result, null, 2);
  if (o.out) writeFileSync(o.out, json + "\n");
  process.stdout.write(json + "\n");
  for (const w of workers) w.child.kill();
  process.exit(result.error ? 1 : 0);
}

main();
