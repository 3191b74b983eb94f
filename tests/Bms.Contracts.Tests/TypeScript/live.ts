// Signs in over REST, joins store:1 on /main and prints the first typed inventory:updated, using only the generated
// contract types with the official socket.io-client. Usage: node live.js <baseUrl> <username> <password>
import { io, type Socket } from "socket.io-client";
import {
  ClientEvents,
  RealtimeEventNames,
  RealtimeNamespaceNames,
  Rooms,
  type ClientToServerEvents,
  type EventEnvelope,
  type InventoryUpdatedData,
  type LoginRequest,
  type LoginResponse,
  type ServerToClientEvents,
} from "@bms/realtime-contracts";

const [baseUrl, username, password] = process.argv.slice(2);
const print = (step: string, data: object = {}): void => {
  process.stdout.write(JSON.stringify({ step, ...data }) + "\n");
};
setTimeout(() => { print("timeout"); process.exit(1); }, 60000);

const login: LoginRequest = { username, password };
const response = await fetch(`${baseUrl}/api/auth/login`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(login),
});
const session = (await response.json()) as LoginResponse;
print("signed-in", { user: session.user.username, stores: session.user.storeIds });

const socket: Socket<ServerToClientEvents<"/main">, ClientToServerEvents<"/main">> =
  io(baseUrl + RealtimeNamespaceNames.Main, { auth: { token: session.accessToken }, reconnection: false });

socket.on(RealtimeEventNames.InventoryUpdated, (envelope: EventEnvelope<InventoryUpdatedData>) => {
  const data: InventoryUpdatedData = envelope.data;
  const change: number = data.newQuantity - data.oldQuantity;
  print("inventory", { type: envelope.type, productId: data.productId, storeId: data.storeId, newQuantity: data.newQuantity, change });
  socket.close();
  process.exit(0);
});
socket.on("connect_error", (error) => { print("connect-error", { message: error.message }); process.exit(1); });
socket.on("connect", () => {
  socket.emit(ClientEvents.RoomJoin, Rooms.store(1), (ack) => {
    print("joined", { ok: ack.ok, error: ack.error ?? null });
  });
});
