// Reference server for the side-by-side benchmarks: the official Node socket.io 4.8 with the same
// contract as samples/Bms.Realtime.EchoHost, and default settings otherwise (polling + websocket,
// pingInterval 25 s, pingTimeout 20 s, maxHttpBufferSize 1e6, no per-message deflate).
//
//   PORT=3000 HOST=127.0.0.1 node node-echo-server.mjs
//
// Namespace "/":
//   join(room, ack)       joins the room, then acks
//   echo(payload, ack)    acks the payload; without an ack function emits "echo" back with it
//   bcast(room, payload)  emits "bcast" with the payload to everyone in the room, sender included
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";

const httpServer = createServer();
const io = new Server(httpServer);

io.on("connection", (socket) => {
  socket.on("join", (room, ack) => {
    socket.join(String(room));
    if (typeof ack === "function") ack(true);
  });
  socket.on("echo", (payload, ack) => {
    if (typeof ack === "function") ack(payload);
    else socket.emit("echo", payload);
  });
  socket.on("bcast", (room, payload) => {
    io.to(String(room)).emit("bcast", payload);
  });
});

httpServer.listen(port, host, () => {
  console.log(`node socket.io ${host}:${port} pid ${process.pid}`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    io.close();
    process.exit(0);
  });
}
