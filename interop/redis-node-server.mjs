// The official socket.io 4.8 server on the official @socket.io/redis-adapter 8.x, for the mixed-cluster tests of
// Bms.Realtime.Server.Redis (tests/Bms.Realtime.Server.Redis.Tests).
//
//   REDIS_URL=redis://127.0.0.1:6379 PORT=0 [REQUESTS_TIMEOUT=5000] node redis-node-server.mjs
//
// Prints one JSON line {"port":N,"uid":"…"} on stdout once listening. Namespaces "/" and "/main" share one contract
// (the same as the C# test node):
//   room:join / room:leave (room, ack)            -> join/leave, ack {ok:true}
//   broadcast ({room?, except?, event, payload}, ack)            -> nsp.to(room).except(except).emit(event, payload)
//   broadcast-with-ack ({room?, event, payload, timeout}, ack)   -> ack {ok, responses} from every recipient in the cluster
//   fetch-sockets (ack)                            -> ack [{id, rooms}] of every socket in the cluster
//   server-count (ack)                             -> ack adapter.serverCount()
//   server-side-emit ({event, args}, ack)          -> nsp.serverSideEmit(event, ...args)
//   server-side-emit-with-ack ({event, args}, ack) -> ack {ok: true, responses} from nsp.serverSideEmitWithAck(event, ...args),
//                                                     or {ok: false, error, responses} when it rejects (adapter requestsTimeout)
// Server-side events received from other nodes are re-emitted locally to the namespace as "server-side" [event, ...args].
// The server-side event "whoami" with an acknowledgement is answered {node: "node", uid, args}.
import { createServer } from "node:http";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";

const port = Number(process.env.PORT || 0);
const url = process.env.REDIS_URL || "redis://127.0.0.1:6379";

const pubClient = createClient({ url });
const subClient = pubClient.duplicate();
pubClient.on("error", (e) => console.error("redis pub error:", e.message));
subClient.on("error", (e) => console.error("redis sub error:", e.message));
await Promise.all([pubClient.connect(), subClient.connect()]);

const httpServer = createServer();
const requestsTimeout = Number(process.env.REQUESTS_TIMEOUT || 5000);
const io = new Server(httpServer, { adapter: createAdapter(pubClient, subClient, { requestsTimeout }) });

for (const name of ["/", "/main"]) {
  const nsp = io.of(name);
  for (const event of ["ping-nodes", "sale:created"]) {
    nsp.on(event, (...args) => nsp.local.emit("server-side", [event, ...args]));
  }
  nsp.on("whoami", (...args) => {
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
    ack?.({ node: "node", uid: nsp.adapter.uid, args });
  });

  nsp.on("connection", (socket) => {
    socket.on("room:join", (room, ack) => {
      socket.join(room);
      ack?.({ ok: true });
    });
    socket.on("room:leave", (room, ack) => {
      socket.leave(room);
      ack?.({ ok: true });
    });
    socket.on("broadcast", ({ room, except, event, payload }, ack) => {
      let target = room ? nsp.to(room) : nsp;
      if (except) target = target.except(except);
      target.emit(event, payload);
      ack?.({ ok: true });
    });
    socket.on("broadcast-with-ack", async ({ room, event, payload, timeout }, ack) => {
      try {
        const target = room ? nsp.to(room) : nsp;
        const responses = await target.timeout(timeout ?? 5000).emitWithAck(event, payload);
        ack?.({ ok: true, responses });
      } catch (e) {
        ack?.({ ok: false, error: String(e && e.message) });
      }
    });
    socket.on("fetch-sockets", async (ack) => {
      const sockets = await nsp.fetchSockets();
      ack?.(sockets.map((s) => ({ id: s.id, rooms: [...s.rooms], data: s.data })));
    });
    socket.on("server-count", async (ack) => ack?.(await nsp.adapter.serverCount()));
    socket.on("server-side-emit", ({ event, args }, ack) => {
      nsp.serverSideEmit(event, ...(args || []));
      ack?.({ ok: true });
    });
    socket.on("server-side-emit-with-ack", async ({ event, args }, ack) => {
      try {
        const responses = await nsp.serverSideEmitWithAck(event, ...(args || []));
        ack?.({ ok: true, responses });
      } catch (e) {
        ack?.({ ok: false, error: String(e && e.message), responses: e?.responses ?? [] });
      }
    });
  });
}

httpServer.listen(port, "127.0.0.1", () => {
  console.log(JSON.stringify({ port: httpServer.address().port, uid: io.of("/main").adapter.uid }));
});

const stop = () => {
  io.close();
  Promise.allSettled([pubClient.quit(), subClient.quit()]).finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
