#!/usr/bin/env node
// Runs one named scenario of the official socket.io-client 4.8 against a server and prints
// newline-delimited JSON: one line per observation ({"step":...}), then exactly one final line
// {"done":true,"ok":bool,"scenario":...,"failures":[...]}. Exit code 0 only when ok is true.
//
// Usage: node client-scenario.mjs <scenario> --url http://127.0.0.1:PORT [--option value ...]
// Scenarios and the server behaviour each one expects are documented in README.md.

import { io, Manager } from "socket.io-client";

const args = parseArgs(process.argv.slice(2));
const scenarioName = args._[0];
const url = args.url ?? process.env.URL;
const timeoutMs = Number(args.timeout ?? 30000);
const failures = [];
const sockets = [];
const managers = [];
let finished = false;
let guard = null;
process.stdout.on("error", () => {}); // the reader may stop reading (e.g. `| head`)

function parseArgs(argv) {
  const out = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      if (eq > 0) {
        out[a.slice(2, eq)] = a.slice(eq + 1);
      } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
        out[a.slice(2)] = argv[++i];
      } else {
        out[a.slice(2)] = "true";
      }
    } else {
      out._.push(a);
    }
  }
  return out;
}

/** Prints one observation line. Buffers are shown as {"$buffer":"<hex>"}. */
function report(step, data = {}) {
  process.stdout.write(JSON.stringify({ step, ...data }, replacer) + "\n");
}

function replacer(_key, value) {
  if (value && value.type === "Buffer" && Array.isArray(value.data)) {
    return { $buffer: Buffer.from(value.data).toString("hex") };
  }
  if (value instanceof ArrayBuffer) {
    return { $buffer: Buffer.from(value).toString("hex") };
  }
  return value;
}

function check(condition, message) {
  if (!condition) {
    failures.push(message);
    report("check-failed", { message });
  }
  return condition;
}

function finish(extra = {}) {
  if (finished) return;
  finished = true;
  if (guard) clearTimeout(guard);
  for (const s of sockets) {
    try { s.io.reconnection(false); s.disconnect(); } catch { /* closing anyway */ }
  }
  for (const m of managers) {
    try { m.reconnection(false); m.engine?.close(); } catch { /* closing anyway */ }
  }
  const ok = failures.length === 0;
  process.stdout.write(JSON.stringify({ done: true, ok, scenario: scenarioName, failures, ...extra }) + "\n");
  process.exitCode = ok ? 0 : 1;
  // Give sockets a moment to send their close frames, then leave even if handles remain.
  setTimeout(() => process.exit(ok ? 0 : 1), 200).unref();
}

function fail(message, extra = {}) {
  failures.push(message);
  finish(extra);
}

/** Resolves with the listener's arguments the next time `event` fires on `emitter`. */
function once(emitter, event, ms = timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, handler);
      reject(new Error(`timed out after ${ms} ms waiting for "${event}"`));
    }, ms);
    const handler = (...a) => {
      clearTimeout(timer);
      resolve(a);
    };
    emitter.once(event, handler);
  });
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/** Creates a socket that is closed at the end of the run; `opts` go to io(). */
function connect(path = "/", opts = {}) {
  const socket = io(url + (path === "/" ? "" : path), {
    forceNew: true,
    reconnectionDelay: 200,
    reconnectionDelayMax: 1000,
    ...opts,
  });
  sockets.push(socket);
  socket.on("connect_error", (err) => report("connect_error", { namespace: path, message: err.message, data: err.data ?? null }));
  return socket;
}

function transportsOption() {
  return args.transports ? { transports: args.transports.split(",") } : {};
}

async function waitConnected(socket, ms = timeoutMs) {
  if (socket.connected) return;
  await once(socket, "connect", ms);
}

function sameJson(a, b) {
  return JSON.stringify(a, replacer) === JSON.stringify(b, replacer);
}

/**
 * With connection-state recovery on, the server appends the packet's offset (a string) as the last argument of
 * every non-ack event. Returns the arguments without it.
 */
function withoutOffset(socket, eventArgs, expectedLength) {
  if (socket._pid && eventArgs.length === expectedLength + 1 && typeof eventArgs[eventArgs.length - 1] === "string") {
    return eventArgs.slice(0, -1);
  }
  return eventArgs;
}

/** Resolves with all the ack arguments (emitWithAck only gives the first one). */
function emitWithAckAll(socket, event, ...eventArgs) {
  return new Promise((resolve, reject) => {
    socket.timeout(timeoutMs).emit(event, ...eventArgs, (err, ...a) => (err ? reject(err) : resolve(a)));
  });
}

/** Checks the conformance-host contract on one connected socket: message -> message-back, message-with-ack -> ack. */
async function roundTrip(socket, label) {
  const payload = [1, "two", { three: 3 }];
  const back = once(socket, "message-back");
  socket.emit("message", ...payload);
  const backArgs = withoutOffset(socket, await back, payload.length);
  report("message-back", { label, args: backArgs });
  check(sameJson(backArgs, payload), `${label}: message-back should carry the emitted arguments`);

  const ackArgs = await emitWithAckAll(socket, "message-with-ack", ...payload);
  report("ack", { label, args: ackArgs });
  check(sameJson(ackArgs, payload), `${label}: message-with-ack should be acked with the same arguments`);
}

const scenarios = {
  /** Default options: starts with polling, then upgrades to websocket. */
  async default() {
    const auth = { token: "abc", n: 1 };
    const socket = connect("/", { auth });
    const authEvent = once(socket, "auth");
    let before = null;
    let upgradedTo = null;
    socket.io.once("open", () => {
      before = socket.io.engine.transport.name;
      socket.io.engine.once("upgrade", (t) => { upgradedTo = t.name; });
    });
    await waitConnected(socket);
    report("connected", { id: socket.id, transportAtOpen: before, transportNow: socket.io.engine.transport.name });
    check(before === "polling", `first transport should be polling, was ${before}`);
    const [authArgs] = await authEvent;
    report("auth", { auth: authArgs });
    check(sameJson(authArgs, auth), "auth event should carry the handshake auth");
    if (socket.io.engine.transport.name !== "websocket") {
      await once(socket.io.engine, "upgrade");
    }
    const after = socket.io.engine.transport.name;
    report("upgraded", { transport: after, upgradeEvent: upgradedTo ?? after });
    check(after === "websocket", `transport after upgrade should be websocket, was ${after}`);
    await roundTrip(socket, "after-upgrade");
    finish({ transportBefore: before, transportAfter: after });
  },

  /** transports: ["websocket"] — no polling at all. */
  async "websocket-only"() {
    const auth = { token: "ws" };
    const socket = connect("/", { auth, transports: ["websocket"] });
    const authEvent = once(socket, "auth");
    await waitConnected(socket);
    const transport = socket.io.engine.transport.name;
    report("connected", { id: socket.id, transport });
    check(transport === "websocket", `transport should be websocket, was ${transport}`);
    const [authArgs] = await authEvent;
    report("auth", { auth: authArgs });
    check(sameJson(authArgs, auth), "auth event should carry the handshake auth");
    await roundTrip(socket, "websocket");
    finish({ transport });
  },

  /** transports: ["polling"] — long-polling only, never upgrades. */
  async "polling-only"() {
    const auth = { token: "poll" };
    const socket = connect("/", { auth, transports: ["polling"] });
    const authEvent = once(socket, "auth");
    await waitConnected(socket);
    const transport = socket.io.engine.transport.name;
    report("connected", { id: socket.id, transport });
    check(transport === "polling", `transport should be polling, was ${transport}`);
    const [authArgs] = await authEvent;
    report("auth", { auth: authArgs });
    check(sameJson(authArgs, auth), "auth event should carry the handshake auth");
    await roundTrip(socket, "polling");
    await delay(300);
    const still = socket.io.engine.transport.name;
    check(still === "polling", `transport should stay polling, was ${still}`);
    finish({ transport: still });
  },

  /** Buffers nested in objects and arrays, client -> server (ack) and server -> client (message-back). */
  async binary() {
    const socket = connect("/", transportsOption());
    await waitConnected(socket);
    report("connected", { id: socket.id, transport: socket.io.engine.transport.name });
    const payload = {
      a: Buffer.from([1, 2, 3]),
      list: [Buffer.from([4, 5]), { b: Buffer.from("héllo", "utf8") }, "text", 7],
      empty: Buffer.alloc(0),
    };
    const second = [Buffer.from([255, 0, 255])];

    const ackArgs = await emitWithAckAll(socket, "message-with-ack", payload, second);
    report("binary-ack", { args: ackArgs });
    check(sameJson(ackArgs, [payload, second]), "binary ack should return the same buffers in the same places");
    check(Buffer.isBuffer(ackArgs?.[0]?.a), "acked a should arrive as a Buffer");

    const back = once(socket, "message-back");
    socket.emit("message", payload, second);
    const backArgs = withoutOffset(socket, await back, 2);
    report("binary-message-back", { args: backArgs });
    check(sameJson(backArgs, [payload, second]), "message-back should return the same buffers in the same places");
    check(Buffer.isBuffer(backArgs?.[1]?.[0]), "message-back second[0] should arrive as a Buffer");
    finish();
  },

  /** Acks both ways, plus a client-side ack timeout. */
  async acks() {
    const socket = connect("/", transportsOption());
    await waitConnected(socket);
    report("connected", { id: socket.id, transport: socket.io.engine.transport.name });

    const ackArgs = await socket.timeout(timeoutMs).emitWithAck("message-with-ack", "a", 2, { c: [3] });
    report("client-to-server-ack", { args: ackArgs });
    check(sameJson(ackArgs, "a"), "emitWithAck resolves with the first ack argument");

    // Many concurrent acks each get their own answer.
    const many = await Promise.all(
      Array.from({ length: 50 }, (_, i) => socket.timeout(timeoutMs).emitWithAck("message-with-ack", i)),
    );
    const manyOk = many.every((v, i) => v === i);
    report("concurrent-acks", { count: many.length, allMatched: manyOk });
    check(manyOk, "each of 50 concurrent acks should resolve with its own argument");

    // The server never acks "no-ack": the client-side timeout must fire.
    const started = Date.now();
    let timeoutError = null;
    try {
      await socket.timeout(300).emitWithAck("no-ack", 1);
    } catch (err) {
      timeoutError = err.message;
    }
    const elapsed = Date.now() - started;
    report("client-timeout", { error: timeoutError, elapsedMs: elapsed });
    check(timeoutError === "operation has timed out", `timeout error expected, got ${timeoutError}`);
    check(elapsed >= 250 && elapsed < 3000, `timeout should fire after ~300 ms, took ${elapsed} ms`);

    // Server -> client ack: the server emits "ask" with an ack, then reports the answer in "ask-result".
    const question = { q: "ping", n: 7 };
    socket.on("ask", (value, ack) => {
      report("ask", { value, hasAck: typeof ack === "function" });
      if (typeof ack === "function") ack({ answer: "pong", echo: value });
    });
    const result = once(socket, "ask-result");
    socket.emit("server-ack-request", question);
    const [answer] = await result;
    report("ask-result", { answer });
    check(sameJson(answer, { answer: "pong", echo: question }), "ask-result should carry the client's ack answer");
    finish();
  },

  /** Several namespaces on one Manager (one engine connection). */
  async namespaces() {
    const names = (args.namespaces ?? "/,/custom").split(",");
    const manager = new Manager(url, { reconnectionDelay: 200, ...transportsOption() });
    managers.push(manager);
    const list = names.map((nsp) => {
      const s = manager.socket(nsp, { auth: { nsp } });
      sockets.push(s);
      s.on("connect_error", (err) => report("connect_error", { namespace: nsp, message: err.message, data: err.data ?? null }));
      return { nsp, s, auth: once(s, "auth") };
    });
    for (const { nsp, s, auth } of list) {
      await waitConnected(s);
      const [authArgs] = await auth;
      report("connected", { namespace: nsp, id: s.id, engineId: manager.engine.id, auth: authArgs });
      check(sameJson(authArgs, { nsp }), `${nsp}: auth event should carry that namespace's auth`);
    }
    const ids = new Set(list.map(({ s }) => s.id));
    check(ids.size === list.length, "each namespace socket should have its own id");
    check(!ids.has(manager.engine.id), "namespace socket ids should differ from the engine sid");
    for (const { nsp, s } of list) await roundTrip(s, nsp);
    finish({ engineId: manager.engine.id, namespaces: names });
  },

  /** Connecting to a namespace the server does not have -> connect_error "Invalid namespace". */
  async "invalid-namespace"() {
    const nsp = args.namespace ?? "/does-not-exist";
    const socket = connect(nsp, transportsOption());
    const [err] = await once(socket, "connect_error");
    check(err.message === "Invalid namespace", `message should be "Invalid namespace", was ${err.message}`);
    check(!socket.active, "socket should not retry after the server refused the namespace");
    finish({ message: err.message });
  },

  /** Namespace /reject refuses every connection in its middleware: message "not allowed", data {code: 42}. */
  async "middleware-reject"() {
    const nsp = args.namespace ?? "/reject";
    const socket = connect(nsp, { auth: { token: "nope" }, ...transportsOption() });
    const [err] = await once(socket, "connect_error");
    check(err.message === "not allowed", `message should be "not allowed", was ${err.message}`);
    check(sameJson(err.data, { code: 42 }), `data should be {"code":42}, was ${JSON.stringify(err.data)}`);
    check(!socket.connected, "socket should not be connected");
    check(!socket.active, "socket should not retry after a middleware refusal");
    finish({ message: err.message, data: err.data ?? null });
  },

  /** Emitting "disconnect-me" makes the server disconnect the socket; the client must not reconnect. */
  async "server-disconnect"() {
    const socket = connect("/", transportsOption());
    await waitConnected(socket);
    report("connected", { id: socket.id, transport: socket.io.engine.transport.name });
    let reconnected = false;
    const disconnected = once(socket, "disconnect");
    socket.emit("disconnect-me");
    const [reason] = await disconnected;
    report("disconnect", { reason });
    check(reason === "io server disconnect", `reason should be "io server disconnect", was ${reason}`);
    socket.on("connect", () => { reconnected = true; });
    await delay(Number(args.wait ?? 1000));
    check(!reconnected && !socket.connected, "socket should not reconnect after a server-side disconnect");
    check(!socket.active, "socket.active should be false after a server-side disconnect");
    finish({ reason });
  },

  /**
   * Reconnection after the server goes away: prints {"step":"connected"}; the test then stops the server and
   * starts it again on the same port. The client keeps trying and reports each attempt, then reconnects and
   * checks message-with-ack still works.
   */
  async reconnect() {
    const socket = connect("/", {
      reconnectionDelay: Number(args["reconnection-delay"] ?? 200),
      reconnectionDelayMax: Number(args["reconnection-delay-max"] ?? 1000),
      ...transportsOption(),
    });
    await waitConnected(socket);
    const firstId = socket.id;
    report("connected", { id: firstId, transport: socket.io.engine.transport.name });
    let attempts = 0;
    socket.io.on("reconnect_attempt", (n) => { attempts = n; report("reconnect_attempt", { attempt: n }); });
    socket.io.on("reconnect_error", (err) => report("reconnect_error", { message: err.message }));
    const [reason] = await once(socket, "disconnect");
    report("disconnect", { reason });
    check(reason === "transport close" || reason === "transport error" || reason === "ping timeout",
      `reason should be a transport-level one, was ${reason}`);
    const [attempt] = await once(socket.io, "reconnect");
    await waitConnected(socket);
    report("reconnected", { id: socket.id, attempt, transport: socket.io.engine.transport.name });
    check(socket.id !== firstId, "a reconnect to a restarted server gives a new socket id");
    const ack = await socket.timeout(timeoutMs).emitWithAck("message-with-ack", "after-restart");
    report("ack", { args: ack });
    check(ack === "after-restart", "message-with-ack should work after reconnecting");
    finish({ attempts, reason });
  },

  /**
   * Connection-state recovery (echo-host contract plus recovery on): client A and a helper client B join a room;
   * A drops its transport (engine.close()); B emits `bcast` N times; A reconnects by itself and must come back
   * with socket.recovered === true and receive all N events in order.
   */
  async recovery() {
    const room = args.room ?? "recovery-room";
    const count = Number(args.count ?? 20);
    const delayMs = Number(args["reconnection-delay"] ?? 1000);
    const a = connect("/", { reconnectionDelay: delayMs, reconnectionDelayMax: delayMs, randomizationFactor: 0, ...transportsOption() });
    const b = connect("/", { transports: ["websocket"] });
    await waitConnected(a);
    await waitConnected(b);
    report("connected", { a: a.id, b: b.id, transport: a.io.engine.transport.name });
    check(typeof a._pid === "string" && a._pid.length > 0,
      "CONNECT reply should carry a pid (connection-state recovery must be enabled on the server)");

    await a.timeout(timeoutMs).emitWithAck("join", room);
    await b.timeout(timeoutMs).emitWithAck("join", room);
    report("joined", { room });

    const receivedByA = [];
    let beforeConnect = 0;
    let dropped = false;
    let reconnectSeen = false;
    a.on("bcast", (payload) => {
      receivedByA.push(payload?.seq);
      // Replayed packets come before the CONNECT reply; the client emits them just before "connect".
      if (dropped && !reconnectSeen) beforeConnect++;
    });
    const receivedByB = [];
    b.on("bcast", (payload) => receivedByB.push(payload?.seq));

    // One live broadcast first so A has an offset to resume from.
    b.emit("bcast", room, { seq: 0 });
    while (receivedByA.length < 1) await delay(10);
    const pidBefore = a._pid;
    const idBefore = a.id;
    report("live-event", { received: receivedByA.slice(), offset: a._lastOffset ?? null });

    const disconnected = once(a, "disconnect");
    dropped = true;
    const reconnected = once(a, "connect");
    reconnected.then(() => { reconnectSeen = true; }, () => {});
    a.io.engine.close();
    const [reason] = await disconnected;
    report("disconnect", { reason });
    await delay(Number(args["server-notice-delay"] ?? 150));

    for (let i = 1; i <= count; i++) b.emit("bcast", room, { seq: i });
    const deadline = Date.now() + timeoutMs;
    while (receivedByB.length < count + 1 && Date.now() < deadline) await delay(10);
    report("sent-while-disconnected", { count, echoedToSender: receivedByB.length - 1 });

    await reconnected;
    report("reconnected", { recovered: a.recovered, id: a.id, sameId: a.id === idBefore, samePid: a._pid === pidBefore });
    check(a.recovered === true, "socket.recovered should be true");
    check(a.id === idBefore, "a recovered socket keeps its id");

    while (receivedByA.length < count + 1 && Date.now() < deadline) await delay(10);
    const expected = Array.from({ length: count + 1 }, (_, i) => i);
    report("received", { seqs: receivedByA, replayedBeforeConnect: beforeConnect });
    check(sameJson(receivedByA, expected), "A should receive every event exactly once and in order");

    // Still in the room after recovery (rooms restored).
    b.emit("bcast", room, { seq: count + 1 });
    while (receivedByA.length < count + 2 && Date.now() < deadline) await delay(10);
    check(receivedByA[count + 1] === count + 1, "A should still be in the room after recovery");
    finish({ recovered: a.recovered, received: receivedByA.length, replayedBeforeConnect: beforeConnect });
  },

  /**
   * N clients join one room; client 0 emits M `bcast` events (in batches, each batch closed by an `echo` ack so the
   * sender does not run far ahead of the server); every client must receive all M in order.
   */
  async "room-broadcast"() {
    const n = Number(args.clients ?? 200);
    const m = Number(args.broadcasts ?? 10000);
    const batch = Number(args.batch ?? 100);
    const room = args.room ?? "many";
    const idleMs = Number(args["idle-timeout"] ?? 10000);
    const opts = args.transports ? transportsOption() : { transports: ["websocket"] };
    const clients = [];
    for (let i = 0; i < n; i++) clients.push(connect("/", { ...opts, reconnection: false }));
    await Promise.all(clients.map((c) => waitConnected(c)));
    report("connected", { clients: n });
    const counts = new Array(n).fill(0);
    const outOfOrder = new Array(n).fill(0);
    let lastProgress = Date.now();
    clients.forEach((c, i) => {
      c.on("bcast", (payload) => {
        if (payload?.seq !== counts[i]) outOfOrder[i]++;
        counts[i]++;
        lastProgress = Date.now();
      });
      c.on("disconnect", (reason) => { if (!finished) report("disconnect", { client: i, reason }); });
    });
    await Promise.all(clients.map((c) => c.timeout(timeoutMs).emitWithAck("join", room)));
    report("joined", { room, clients: n });

    const started = Date.now();
    const sender = clients[0];
    for (let i = 0; i < m; i++) {
      sender.emit("bcast", room, { seq: i });
      if ((i + 1) % batch === 0) await sender.timeout(timeoutMs).emitWithAck("echo", i);
    }
    report("sent", { broadcasts: m, ms: Date.now() - started });
    lastProgress = Date.now();
    while (counts.some((c) => c < m) && Date.now() - lastProgress < idleMs) await delay(20);
    const elapsed = Date.now() - started;
    const total = counts.reduce((x, y) => x + y, 0);
    const summary = {
      clients: n,
      broadcasts: m,
      expectedTotal: n * m,
      total,
      min: Math.min(...counts),
      max: Math.max(...counts),
      complete: counts.filter((c) => c === m).length,
      outOfOrder: outOfOrder.reduce((x, y) => x + y, 0),
      ms: elapsed,
    };
    report("counts", summary);
    check(summary.total === summary.expectedTotal && summary.min === m, `every client should receive all ${m} broadcasts`);
    check(summary.outOfOrder === 0, "broadcasts should arrive in order");
    finish(summary);
  },
};

async function main() {
  if (!scenarioName || !scenarios[scenarioName]) {
    process.stderr.write(`usage: node client-scenario.mjs <${Object.keys(scenarios).join("|")}> --url <url> [--timeout ms]\n`);
    process.exit(2);
  }
  if (!url) {
    process.stderr.write("--url (or URL) is required\n");
    process.exit(2);
  }
  guard = setTimeout(() => fail(`scenario timed out after ${timeoutMs} ms`), timeoutMs);
  try {
    await scenarios[scenarioName]();
  } catch (err) {
    fail(err?.message ?? String(err));
  }
  finish();
}

main();
