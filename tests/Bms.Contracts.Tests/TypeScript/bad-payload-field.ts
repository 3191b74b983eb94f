// Must not compile: inventory:updated data has newQuantity, not newQty.
import { io, type Socket } from "socket.io-client";
import { RealtimeEventNames, type ClientToServerEvents, type ServerToClientEvents } from "@bms/realtime-contracts";

const socket: Socket<ServerToClientEvents<"/main">, ClientToServerEvents<"/main">> = io("http://127.0.0.1:1/main");
socket.on(RealtimeEventNames.InventoryUpdated, (envelope) => {
  const quantity: number = envelope.data.newQty;
  process.stdout.write(String(quantity));
});
