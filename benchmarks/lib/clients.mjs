// The two client kinds the generator drives:
//  - "sio":  the official socket.io-client 4.8, WebSocket transport only (for our EchoHost and Node).
//  - "bare": a thin `ws` client for the bare Kestrel forwarder (Bms.Benchmarks.BareWs), which speaks
//            single-letter text frames: J<room> (join, answered "J"), E<payload> (echoed back as is),
//            B<room>\n<frame> (the server writes <frame> unchanged to every socket in the room).
//  - "sio-thin": a minimal Engine.IO v4 / Socket.IO v5 speaker on `ws` (open, CONNECT to "/", pong,
//            EVENT, ACK), for Socket.IO servers when the official client would make the generator
//            the bottleneck (the saturation phase). It sends and expects the same frames as "sio".
// All put the same bytes on the wire for a delivery: 42["bcast",{"t":…,"p":"…"}].
import { io } from "socket.io-client";
import WebSocket from "ws";

/**
 * Extracts a numeric stamp ("t": intended send time, "a": actual send time, both µs) from an
 * encoded payload without a full JSON parse.
 */
export function readStamp(text, key = '"t":') {
  const i = text.indexOf(key);
  if (i < 0) return NaN;
  let j = i + key.length;
  while (j < text.length && text.charCodeAt(j) !== 44 && text.charCodeAt(j) !== 125) j++;
  return Number(text.slice(i + key.length, j));
}

export class SioClient {
  static open(url, timeoutMs) {
    return new Promise((resolve, reject) => {
      const socket = io(url, {
        transports: ["websocket"],
        forceNew: true,
        reconnection: false,
        timeout: timeoutMs,
      });
      const client = new SioClient(socket);
      socket.once("connect", () => resolve(client));
      socket.once("connect_error", (err) => {
        socket.close();
        reject(err);
      });
    });
  }

  constructor(socket) {
    this.socket = socket;
    this.disconnected = false;
    this.bcast = null;
    socket.on("disconnect", (reason) => {
      this.disconnected = reason;
    });
    socket.on("bcast", (p) => {
      if (this.bcast) this.bcast(p.t, p.a);
    });
  }

  join(room) {
    return new Promise((resolve) => this.socket.emit("join", room, () => resolve()));
  }

  /** Echo with an ack; onReply receives the intended and actual send times carried by the payload. */
  echo(payload, onReply) {
    this.socket.emit("echo", payload, (p) => onReply(p.t, p.a));
  }

  publish(room, payload) {
    this.socket.emit("bcast", room, payload);
  }

  onBcast(fn) {
    this.bcast = fn;
  }

  close() {
    this.socket.close();
  }
}

export class BareClient {
  static open(url, timeoutMs) {
    const wsUrl = url.replace(/^http/, "ws").replace(/\/$/, "") + "/ws";
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl, { handshakeTimeout: timeoutMs, perMessageDeflate: false });
      ws.once("open", () => resolve(new BareClient(ws)));
      ws.once("error", reject);
    });
  }

  constructor(ws) {
    this.ws = ws;
    this.disconnected = false;
    this.pendingJoin = null;
    this.bcast = null;
    this.echoReply = null;
    ws.on("close", () => {
      this.disconnected = "transport close";
    });
    ws.on("error", () => {});
    ws.on("message", (data) => {
      const text = data.toString();
      const kind = text.charCodeAt(0);
      if (kind === 52 /* '4': 42["bcast",…] */) {
        if (this.bcast) this.bcast(readStamp(text), readStamp(text, '"a":'));
      } else if (kind === 69 /* 'E' */) {
        if (this.echoReply) this.echoReply(readStamp(text), readStamp(text, '"a":'));
      } else if (kind === 74 /* 'J' */ && this.pendingJoin) {
        const done = this.pendingJoin;
        this.pendingJoin = null;
        done();
      }
    });
  }

  join(room) {
    return new Promise((resolve) => {
      this.pendingJoin = resolve;
      this.ws.send("J" + room);
    });
  }

  echo(payload, onReply) {
    this.echoReply = onReply;
    this.ws.send("E" + JSON.stringify(payload));
  }

  publish(room, payload) {
    this.ws.send("B" + room + "\n" + '42["bcast",' + JSON.stringify(payload) + "]");
  }

  onBcast(fn) {
    this.bcast = fn;
  }

  close() {
    this.ws.close();
  }
}

export class SioThinClient {
  static open(url, timeoutMs) {
    const wsUrl = url.replace(/^http/, "ws").replace(/\/$/, "") + "/socket.io/?EIO=4&transport=websocket";
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl, { handshakeTimeout: timeoutMs, perMessageDeflate: false });
      const client = new SioThinClient(ws);
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error("timeout"));
      }, timeoutMs);
      client.connected = () => {
        clearTimeout(timer);
        resolve(client);
      };
      ws.once("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  constructor(ws) {
    this.ws = ws;
    this.disconnected = false;
    this.connected = null;
    this.bcast = null;
    this.echoReply = null;
    this.acks = new Map();
    this.nextAck = 0;
    ws.on("close", () => {
      this.disconnected = "transport close";
    });
    ws.on("error", () => {});
    ws.on("message", (data) => {
      const text = data.toString();
      const c0 = text.charCodeAt(0);
      if (c0 === 52 /* '4' message */) {
        const c1 = text.charCodeAt(1);
        if (c1 === 50 /* '2' EVENT */) {
          if (this.bcast) this.bcast(readStamp(text), readStamp(text, '"a":'));
        } else if (c1 === 51 /* '3' ACK: 43<id>[…] */) {
          const end = text.indexOf("[");
          const id = Number(text.slice(2, end));
          const done = this.acks.get(id);
          if (done) {
            this.acks.delete(id);
            done(text);
          }
        } else if (c1 === 48 /* '0' CONNECT reply */ && this.connected) {
          this.connected();
          this.connected = null;
        } else if (c1 === 49 /* '1' DISCONNECT */ || c1 === 52 /* '4' CONNECT_ERROR */) {
          this.disconnected = "server disconnect";
          ws.close();
        }
      } else if (c0 === 50 /* '2' ping */) {
        ws.send("3");
      } else if (c0 === 48 /* '0' open */) {
        ws.send("40");
      } else if (c0 === 49 /* '1' close */) {
        ws.close();
      }
    });
  }

  emitWithAck(frameWithoutId, onAck) {
    const id = this.nextAck++;
    this.acks.set(id, onAck);
    this.ws.send("42" + id + frameWithoutId);
  }

  join(room) {
    return new Promise((resolve) => this.emitWithAck(JSON.stringify(["join", room]), () => resolve()));
  }

  echo(payload, onReply) {
    this.emitWithAck('["echo",' + JSON.stringify(payload) + "]", (text) =>
      onReply(readStamp(text), readStamp(text, '"a":')),
    );
  }

  publish(room, payload) {
    this.ws.send('42["bcast",' + JSON.stringify(room) + "," + JSON.stringify(payload) + "]");
  }

  onBcast(fn) {
    this.bcast = fn;
  }

  close() {
    this.ws.close();
  }
}
