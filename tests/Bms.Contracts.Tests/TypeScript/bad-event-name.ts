// Must not compile: "inventory:updatd" is not an event of /main.
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@bms/realtime-contracts";

const socket: Socket<ServerToClientEvents<"/main">, ClientToServerEvents<"/main">> = io("http://127.0.0.1:1/main");
socket.on("inventory:updatd", (envelope) => {
  process.stdout.write(String(envelope));
});
