#!/usr/bin/env node
// What open dashboards cost the server: N dashboard sessions as the browser app runs them (one Socket.IO
// connection on /main with the user's token, room store:1, the start-up REST loads, and a reload of the stock /
// sales list on every inventory:updated / transaction:created, at most one in flight per list plus one queued),
// first idle, then while a seller posts sales at a fixed rate. The server's RSS and CPU come from /proc/PID.
// The browser-side work (the WebAssembly runtime, rendering) is not simulated: it costs the browser, not the server.
//
//   node dashboards.mjs --url http://127.0.0.1:3001 --server-pid 1234 --dashboards 100 \
//        [--idle-seconds 30] [--sales-rate 10] [--sales-seconds 30] [--username manager]
//
// The server needs Bms:Realtime:ConnectionsPerUserPerMinute above --dashboards (all sessions share one user).
import { parseArgs } from "node:util";
import { loadavg } from "node:os";
import { io } from "socket.io-client";
import { cpuDelta, readCpu, readRssKb } from "./lib/proc.mjs";

const { values: o } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:3001" },
    "server-pid": { type: "string" },
    dashboards: { type: "string", default: "100" },
    "baseline-seconds": { type: "string", default: "10" },
    "idle-seconds": { type: "string", default: "30" },
    "sales-rate": { type: "string", default: "10" },
    "sales-seconds": { type: "string", default: "30" },
    username: { type: "string", default: "manager" },
  },
});
const pid = Number(o["server-pid"]);
const count = Number(o.dashboards);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (m) => process.stderr.write(`[dashboards] ${m}\n`);

async function login(username) {
  const r = await fetch(`${o.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: `${username}123!` }),
  });
  if (!r.ok) throw new Error(`login ${username}: ${r.status}`);
  return (await r.json()).accessToken;
}

async function call(method, path, token, body) {
  const r = await fetch(`${o.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  await r.arrayBuffer();
  return r.status;
}

// One list the page shows: reloads on its events, never two loads at once, one queued at most (LiveDataSet).
function liveSet(path, token, stats) {
  let running = false;
  let queued = false;
  const load = async () => {
    if (running) {
      queued = true;
      return;
    }
    running = true;
    do {
      queued = false;
      const status = await call("GET", path, token).catch(() => 0);
      stats.loads++;
      if (status !== 200) stats.failedLoads++;
    } while (queued);
    running = false;
  };
  return load;
}

function measure(from, to, seconds) {
  const cpu = cpuDelta(from.cpu, to.cpu);
  return { seconds, cpuPercentOfOneCore: +(100 * cpu.total / seconds).toFixed(1), rssMiB: +(to.rss / 1024).toFixed(1) };
}

const sample = () => ({ cpu: readCpu(pid), rss: readRssKb(pid), at: Date.now() });

async function main() {
  const token = await login(o.username);
  const seller = await login("cashier");
  const admin = await login("admin");
  // Enough stock for every sale of the run (1 per sale, spread over the demo products).
  for (let id = 1; id <= 12; id++) {
    await call("POST", "/api/inventory/adjust", admin, { productId: id, delta: 5000, reason: "benchmark" });
  }

  const before = sample();
  await sleep(Number(o["baseline-seconds"]) * 1000);
  const baselineEnd = sample();
  const baseline = measure(before, baselineEnd, Number(o["baseline-seconds"]));
  log(`baseline: ${JSON.stringify(baseline)}`);

  const stats = { loads: 0, failedLoads: 0, events: 0, connected: 0, refused: 0 };
  const sockets = [];
  const openStart = Date.now();
  for (let i = 0; i < count; i++) {
    const products = liveSet("/api/products", token, stats);
    const sales = liveSet("/api/transactions?limit=20", token, stats);
    const socket = io(`${o.url}/main`, { auth: { token }, transports: ["websocket"], reconnection: false });
    sockets.push(socket);
    await new Promise((resolve) => {
      socket.on("connect", async () => {
        stats.connected++;
        await socket.timeout(10000).emitWithAck("room:join", "store:1").catch(() => null);
        await Promise.all([products(), sales(), call("GET", "/api/notifications?limit=50", token)]);
        resolve();
      });
      socket.on("connect_error", (e) => {
        stats.refused++;
        log(`connect_error: ${e.message}`);
        resolve();
      });
    });
    socket.on("inventory:updated", () => { stats.events++; products(); });
    socket.on("transaction:created", () => { stats.events++; sales(); });
    socket.on("low-stock:alert", () => stats.events++);
  }
  const openSeconds = (Date.now() - openStart) / 1000;
  log(`${stats.connected} dashboards open in ${openSeconds.toFixed(1)} s (${stats.refused} refused)`);

  await sleep(2000);
  const idleStart = sample();
  await sleep(Number(o["idle-seconds"]) * 1000);
  const idleEnd = sample();
  const idle = measure(idleStart, idleEnd, Number(o["idle-seconds"]));
  log(`idle: ${JSON.stringify(idle)}`);

  const rate = Number(o["sales-rate"]);
  const salesSeconds = Number(o["sales-seconds"]);
  const loadsBefore = stats.loads;
  const eventsBefore = stats.events;
  let posted = 0;
  let failed = 0;
  const inflight = [];
  const salesStart = sample();
  const t0 = Date.now();
  for (let n = 0; n < rate * salesSeconds; n++) {
    const due = t0 + (n * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    inflight.push(call("POST", "/api/transactions", seller, { storeId: 1, lines: [{ productId: 1 + (n % 12), quantity: 1 }] })
      .then((s) => { if (s === 201) posted++; else failed++; }, () => failed++));
  }
  await Promise.all(inflight);
  const salesEnd = sample();
  const salesElapsed = (salesEnd.at - salesStart.at) / 1000;
  const during = measure(salesStart, salesEnd, salesElapsed);
  log(`sales: ${JSON.stringify(during)}`);

  for (const s of sockets) s.close();
  const result = {
    dashboards: count,
    connected: stats.connected,
    refused: stats.refused,
    openSeconds: +openSeconds.toFixed(1),
    baseline,
    idle,
    sales: {
      ...during,
      asked: rate * salesSeconds,
      posted,
      failed,
      achievedPerSecond: +(posted / salesElapsed).toFixed(1),
      eventsReceived: stats.events - eventsBefore,
      restReloads: stats.loads - loadsBefore,
      failedLoads: stats.failedLoads,
    },
    perDashboard: {
      idleRssMiB: +((idle.rssMiB - baseline.rssMiB) / count).toFixed(2),
      idleCpuPercent: +((idle.cpuPercentOfOneCore - baseline.cpuPercentOfOneCore) / count).toFixed(3),
      salesCpuPercent: +((during.cpuPercentOfOneCore - baseline.cpuPercentOfOneCore) / count).toFixed(3),
    },
    loadAverage: loadavg().map((x) => +x.toFixed(1)),
  };
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  process.exit(0);
}

main().catch((e) => {
  log(e.stack ?? String(e));
  process.exit(1);
});
