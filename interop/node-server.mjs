#!/usr/bin/env node
// The official Node socket.io 4.8 server, used as a reference peer by the .NET client tests and as the
// reference behaviour for our own test hosts. See README.md for the event contract.
//
// Environment:
//   PORT           port on 127.0.0.1 (0 = any free port; default 0). First stdout line: {"port":N}
//   HOST           listen address (default 127.0.0.1)
//   PING_INTERVAL  engine pingInterval in ms (default 25000)
//   PING_TIMEOUT   engine pingTimeout in ms (default 20000)
//   REDIS_URL      optional; when set, uses @socket.io/redis-adapter with that Redis server
//   RECOVERY_MS    connection-state recovery window in ms (default 120000)

import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? "127.0.0.1";
const pingInterval = Number(process.env.PING_INTERVAL ?? 25000);
const pingTimeout = Number(process.env.PING_TIMEOUT ?? 20000);

const httpServer = createServer();
const droppedJoins = new Set();
const io = new Server(httpServer, {
  pingInterval,
  pingTimeout,
  connectionStateRecovery: {
    maxDisconnectionDuration: Number(process.env.RECOVERY_MS ?? 120000),
    skipMiddlewares: true,
  },
  cors: { origin: true, credentials: true },
});

if (process.env.REDIS_URL) {
  const { createClient } = await import("redis");
  const { createAdapter } = await import("@socket.io/redis-adapter");
  const pub = createClient({ url: process.env.REDIS_URL });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub));
}

const log = (msg) => process.stderr.write(`[node-server] ${msg}\n`);

/** The event contract shared by every namespace (see README.md). */
function attach(nsp) {
  nsp.on("connection", (socket) => {
    log(`connect ${nsp.name} ${socket.id} recovered=${socket.recovered}`);
    if (!socket.recovered) socket.emit("auth", socket.handshake.auth);

    // Conformance-host contract.
    socket.on("message", (...args) => socket.emit("message-back", ...args));
    socket.on("message-with-ack", (...args) => {
      const ack = args.pop();
      if (typeof ack === "function") ack(...args);
    });

    // Echo-host contract.
    socket.on("join", (room, ack) => {
      socket.join(room);
      if (typeof ack === "function") ack();
    });
    socket.on("echo", (payload, ack) => {
      if (typeof ack === "function") ack(payload);
      else socket.emit("echo", payload);
    });
    socket.on("bcast", (room, payload) => nsp.to(room).emit("bcast", payload));

    // Backend-style room management.
    socket.on("room:join", (room, ack) => {
      socket.join(room);
      // "drop-ack:*" rooms, the first time: joined, but the connection drops before the answer goes out.
      if (typeof room === "string" && room.startsWith("drop-ack:") && !droppedJoins.has(room)) {
        droppedJoins.add(room);
        socket.conn.close();
        return;
      }
      if (typeof ack === "function") ack({ ok: true });
    });
    socket.on("room:leave", (room, ack) => {
      socket.leave(room);
      if (typeof ack === "function") ack({ ok: true });
    });

    socket.on("echo-binary", (buffer, ack) => {
      if (typeof ack === "function") ack(buffer);
    });

    // Server -> client ack: ask the client, then report its answer (or the timeout) in "ask-result".
    socket.on("server-ack-request", (value) => {
      socket.timeout(5000).emit("ask", value, (err, answer) => {
        socket.emit("ask-result", err ? { error: err.message } : answer);
      });
    });

    socket.on("disconnect-me", () => socket.disconnect());
    // "no-ack" is deliberately never acknowledged (client-side ack timeout tests).
    socket.on("no-ack", () => {});

    socket.on("disconnect", (reason) => log(`disconnect ${nsp.name} ${socket.id} ${reason}`));
  });
}

for (const name of ["/", "/main", "/pos", "/admin", "/custom"]) attach(io.of(name));

// Middleware that refuses everyone.
io.of("/reject").use((_socket, next) => {
  const err = new Error("not allowed");
  err.data = { code: 42 };
  next(err);
});

// Token-checking namespace: auth.token must start with "valid"; "expired..." -> "token expired".
const secure = io.of("/secure");
secure.use((socket, next) => {
  const token = socket.handshake.auth?.token;
  if (typeof token === "string" && token.startsWith("valid")) return next();
  const err = new Error(typeof token === "string" && token.startsWith("expired") ? "token expired" : "unauthorized");
  err.data = { code: 401 };
  next(err);
});
attach(secure);

httpServer.listen(port, host, () => {
  process.stdout.write(JSON.stringify({ port: httpServer.address().port }) + "\n");
});

const shutdown = () => {
  io.close();
  httpServer.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
