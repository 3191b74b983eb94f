// One generator process: owns a share of the client connections and runs the phases it is told to
// by the coordinator (loadgen.mjs) over the IPC channel. Every reply is plain JSON.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Histogram } from "./histogram.mjs";
import { SioClient, BareClient, SioThinClient } from "./clients.mjs";
import { nowUs } from "./proc.mjs";

const clients = [];
let ClientKind = SioClient;
let bcastState = null;

function padding(bytes) {
  return "x".repeat(Math.max(0, bytes));
}

function cpuMark() {
  return { cpu: process.cpuUsage(), at: nowUs() };
}

function cpuSince(mark) {
  const d = process.cpuUsage(mark.cpu);
  const wallUs = nowUs() - mark.at;
  return {
    userS: d.user / 1e6,
    sysS: d.system / 1e6,
    pctOfCore: wallUs > 0 ? (100 * (d.user + d.system)) / wallUs : 0,
  };
}

function loopDelay() {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  return () => {
    h.disable();
    return { p99Ms: h.percentile(99) / 1e6, maxMs: h.max / 1e6 };
  };
}

/**
 * Open-loop schedule: message i is due at startAt + i / rate, whatever happened to earlier ones.
 * fire(i, intendedUs) is called for every due message; lateness shows up in the latency because
 * latency is measured from the intended time.
 */
function openLoop(rate, startAt, durationMs, fire) {
  const total = Math.floor((rate * durationMs) / 1000);
  const intervalUs = 1e6 / rate;
  return new Promise((resolve) => {
    if (total === 0) return resolve(0);
    let i = 0;
    const tick = () => {
      const now = nowUs();
      while (i < total && startAt + i * intervalUs <= now) {
        fire(i, startAt + i * intervalUs);
        i++;
      }
      if (i >= total) return resolve(i);
      const waitMs = (startAt + i * intervalUs - nowUs()) / 1000;
      setTimeout(tick, Math.max(0, Math.min(waitMs, 50)));
    };
    setTimeout(tick, Math.max(0, (startAt - nowUs()) / 1000));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function disconnectedCount() {
  let n = 0;
  for (const c of clients) if (c.disconnected) n++;
  return n;
}

const handlers = {
  async connect({ url, mode, count, concurrency, timeoutMs }) {
    ClientKind = { sio: SioClient, bare: BareClient, "sio-thin": SioThinClient }[mode];
    if (!ClientKind) throw new Error(`unknown --mode ${mode}`);
    const mark = cpuMark();
    const started = nowUs();
    let next = 0;
    let failed = 0;
    const errors = new Map();
    const lane = async () => {
      while (next < count) {
        next++;
        try {
          clients.push(await ClientKind.open(url, timeoutMs));
        } catch (err) {
          failed++;
          const key = String(err?.message ?? err);
          errors.set(key, (errors.get(key) ?? 0) + 1);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
    return {
      connected: clients.length,
      failed,
      errors: Object.fromEntries(errors),
      elapsedMs: (nowUs() - started) / 1000,
      gen: cpuSince(mark),
    };
  },

  async join({ room, concurrency }) {
    const started = nowUs();
    let next = 0;
    const lane = async () => {
      while (next < clients.length) await clients[next++].join(room);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, clients.length) }, lane));
    return { joined: clients.length, elapsedMs: (nowUs() - started) / 1000 };
  },

  async echo({ rate, startAt, durationMs, drainMs, payloadBytes }) {
    const hist = new Histogram();
    const service = new Histogram();
    const pad = padding(payloadBytes);
    let received = 0;
    const mark = cpuMark();
    const lag = loopDelay();
    const sent = await openLoop(rate, startAt, durationMs, (i, intended) => {
      const actual = nowUs();
      clients[i % clients.length].echo({ t: intended, a: actual, p: pad }, (t, a) => {
        const now = nowUs();
        hist.record(now - t);
        service.record(now - a);
        received++;
      });
    });
    const deadline = nowUs() + drainMs * 1000;
    while (received < sent && nowUs() < deadline) await sleep(5);
    return {
      sent,
      received,
      hist: hist.toJSON(),
      service: service.toJSON(),
      gen: cpuSince(mark),
      loop: lag(),
      disconnected: disconnectedCount(),
    };
  },

  async bcastStart({ room, rate, startAt, durationMs, payloadBytes }) {
    const hist = new Histogram();
    const service = new Histogram();
    bcastState = { hist, service, received: 0, lastAt: 0, mark: cpuMark(), lag: loopDelay() };
    const onDelivery = (t, a) => {
      const now = nowUs();
      hist.record(now - t);
      if (a) service.record(now - a);
      bcastState.received++;
      bcastState.lastAt = now;
    };
    for (const c of clients) c.onBcast(onDelivery);
    const pad = padding(payloadBytes);
    const published = await openLoop(rate, startAt, durationMs, (i, intended) => {
      clients[i % clients.length].publish(room, { t: intended, a: nowUs(), p: pad });
    });
    return { published };
  },

  async bcastDrain({ expected, drainMs }) {
    const s = bcastState;
    const deadline = nowUs() + drainMs * 1000;
    while (s.received < expected && nowUs() < deadline) await sleep(5);
    for (const c of clients) c.onBcast(() => {});
    bcastState = null;
    return {
      received: s.received,
      lastAt: s.lastAt,
      hist: s.hist.toJSON(),
      service: s.service.toJSON(),
      gen: cpuSince(s.mark),
      loop: s.lag(),
      disconnected: disconnectedCount(),
    };
  },

  async close() {
    for (const c of clients) c.close();
    clients.length = 0;
    await sleep(200);
    return { closed: true };
  },
};

process.on("message", async (msg) => {
  try {
    const result = await handlers[msg.cmd](msg.args ?? {});
    process.send({ id: msg.id, ok: true, result });
  } catch (err) {
    process.send({ id: msg.id, ok: false, error: String(err?.stack ?? err) });
  }
});
process.on("disconnect", () => process.exit(0));
