// Must not compile: room:join takes a room name (string), and notification:send does not exist on /main.
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@bms/realtime-contracts";

const socket: Socket<ServerToClientEvents<"/main">, ClientToServerEvents<"/main">> = io("http://127.0.0.1:1/main");
socket.emit("room:join", 1, (ack) => process.stdout.write(String(ack.ok)));
socket.emit("notification:send", { title: "t", message: "m", severity: "info" }, () => undefined);
