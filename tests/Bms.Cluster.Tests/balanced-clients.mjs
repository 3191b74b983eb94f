// Drives several official socket.io-client 4.8 clients (from interop/node_modules) through a load balancer to /main
// of Bms.Server, each from its own loopback source address, on one transport only (no upgrade).
//
// Usage: node balanced-clients.mjs <interopDir> <baseUrl> <token> <polling|websocket> <address,address,...> [reconnect|no-reconnect]
//
// Prints one JSON line per observation:
//   {"step":"connected","client":i,"address":a,"id":socketId,"sid":engineSid,"transport":t}
//   {"step":"joined","client":i,"ok":bool}
//   {"step":"ready"}                                  every client connected and joined store:1
//   {"step":"event","client":i,"name":n,"id":saleId,"transport":t}
//   {"step":"connect_error","client":i,"message":m}   {"step":"disconnect","client":i,"reason":r}
//   {"step":"closing","clients":[{client,connected,id,sid,transport}]}   when stdin ends; then it exits
// Clients connect one after the other. Exits with 1 after 60 s.
import { createRequire } from "node:module";
import http from "node:http";

const [interopDir, baseUrl, token, transport, addressList, reconnect = "reconnect"] = process.argv.slice(2);
const { io } = createRequire(interopDir + "/package.json")("socket.io-client");
const print = (step, data = {}) => process.stdout.write(JSON.stringify({ step, ...data }) + "\n");
setTimeout(() => { print("timeout"); process.exit(1); }, 60000).unref();
process.stdout.on("error", () => {});

const sockets = [];

function open(address, client) {
  const socket = io(baseUrl + "/main", {
    auth: { token },
    transports: [transport],
    forceNew: true,
    reconnection: reconnect === "reconnect",
    reconnectionDelay: 200,
    reconnectionDelayMax: 1000,
    // The source address: polling requests go through this agent, the WebSocket takes localAddress.
    agent: new http.Agent({ localAddress: address }),
    localAddress: address,
  });
  sockets.push(socket);
  socket.on("connect_error", (err) => print("connect_error", { client, message: err.message }));
  socket.on("disconnect", (reason) => print("disconnect", { client, reason }));
  socket.on("transaction:created", (envelope) =>
    print("event", { client, name: "transaction:created", id: envelope?.data?.id ?? null, transport: socket.io.engine?.transport?.name }));
  return new Promise((resolve) => {
    socket.on("connect", async () => {
      print("connected", { client, address, id: socket.id, sid: socket.io.engine.id, transport: socket.io.engine.transport.name });
      try {
        const ack = await socket.timeout(20000).emitWithAck("room:join", "store:1");
        print("joined", { client, ok: ack?.ok === true });
      } catch (err) {
        print("joined", { client, ok: false, error: err.message });
      }
      resolve();
    });
  });
}

function close() {
  print("closing", {
    clients: sockets.map((s, client) => ({
      client,
      connected: s.connected,
      id: s.id ?? null,
      sid: s.io.engine?.id ?? null,
      transport: s.io.engine?.transport?.name ?? null,
    })),
  });
  for (const s of sockets) {
    s.io.reconnection(false);
    s.disconnect();
  }
  setTimeout(() => process.exit(0), 200);
}

process.stdin.on("end", close);
process.stdin.resume();

for (const [client, address] of addressList.split(",").entries()) {
  await open(address, client);
}
print("ready");
