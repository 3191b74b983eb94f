// Drives the official socket.io-client 4.8 (from interop/node_modules) against the BMS backend.
// Usage: node official-client.mjs <interopDir> <baseUrl> <token>
// Prints one JSON line per observation; exits after "done" or 30 s.
import { createRequire } from "node:module";

const [interopDir, baseUrl, token] = process.argv.slice(2);
const { io } = createRequire(interopDir + "/package.json")("socket.io-client");
const print = (step, data = {}) => process.stdout.write(JSON.stringify({ step, ...data }) + "\n");
setTimeout(() => { print("timeout"); process.exit(1); }, 30000).unref();

const refused = io(baseUrl + "/admin", { auth: { token }, reconnection: false });
refused.on("connect_error", (err) => { print("admin-connect-error", { message: err.message, data: err.data }); refused.close(); });

const main = io(baseUrl + "/main", { auth: { token }, reconnection: false });
const seen = new Set();
for (const name of ["transaction:created", "inventory:updated"]) {
  main.on(name, (envelope) => {
    print("event", { name, envelope, transport: main.io.engine.transport.name });
    seen.add(name);
    if (seen.size === 2) { print("done"); main.close(); setTimeout(() => process.exit(0), 100); }
  });
}
main.on("connect_error", (err) => { print("connect-error", { message: err.message }); process.exit(1); });
main.on("connect", async () => {
  const ack = await main.timeout(10000).emitWithAck("room:join", "store:1");
  print("joined", { ack });
});
