using System.Diagnostics.Metrics;
using Bms.Realtime.Server.Engine;
using Bms.Realtime.Server.Namespaces;

namespace Bms.Realtime.Server.Hosting;

/// <summary>
/// The server's instruments on the meter <c>Bms.Realtime</c> (System.Diagnostics.Metrics; export them with
/// OpenTelemetry). Thread-safe; recording costs nothing measurable when no listener is attached.
/// </summary>
public sealed class RealtimeMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Bms.Realtime";

    private readonly Meter _meter;
    private readonly Counter<long> _connects;
    private readonly Counter<long> _disconnects;
    private readonly Counter<long> _packetsIn;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _packetsOut;
    private readonly Counter<long> _bytesOut;
    private readonly Histogram<long> _fanout;
    private readonly Histogram<double> _ackDuration;
    private readonly Counter<long> _directWebSockets;
    private readonly Counter<long> _refusedEvents;
    private RealtimeServer? _server;
    private long _directWebSocketCount;

    /// <summary>Creates the instruments.</summary>
    public RealtimeMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _connects = _meter.CreateCounter<long>("bms.realtime.connects", "{socket}", "Sockets that joined a namespace");
        _disconnects = _meter.CreateCounter<long>("bms.realtime.disconnects", "{socket}", "Sockets that left a namespace, by reason");
        _packetsIn = _meter.CreateCounter<long>("bms.realtime.packets.in", "{packet}", "Engine.IO messages received");
        _bytesIn = _meter.CreateCounter<long>("bms.realtime.bytes.in", "By", "Message bytes received");
        _packetsOut = _meter.CreateCounter<long>("bms.realtime.packets.out", "{packet}", "Engine.IO frames queued for sending");
        _bytesOut = _meter.CreateCounter<long>("bms.realtime.bytes.out", "By", "Frame bytes queued for sending");
        _fanout = _meter.CreateHistogram<long>("bms.realtime.broadcast.fanout", "{socket}", "Recipients per broadcast on this node");
        _ackDuration = _meter.CreateHistogram<double>("bms.realtime.ack.duration", "s", "Acknowledgement latency: direction=server (a client's event until the server's ack), direction=client (a server emit until the client's ack)");
        _directWebSockets = _meter.CreateCounter<long>("bms.realtime.engine.direct_websockets", "{session}", "WebSocket sessions opened on the direct path (handshake answered by the connection middleware, no HTTP request)");
        _refusedEvents = _meter.CreateCounter<long>("bms.realtime.events.invalid", "{event}", "Client events refused by the event-name rules, by namespace and reason (name_too_long, name_not_allowed)");
        _meter.CreateObservableUpDownCounter("bms.realtime.connections", ObserveConnections, "{socket}", "Connected sockets by namespace and transport");
        _meter.CreateObservableUpDownCounter("bms.realtime.engine.sessions", () => (long)(_server?.Engine.SessionCount ?? 0), "{session}", "Open Engine.IO sessions");
    }

    /// <summary>The meter, for instruments added by other layers.</summary>
    public Meter Meter => _meter;

    internal void Attach(RealtimeServer server) => _server = server;

    internal void DirectWebSocketOpened()
    {
        _directWebSockets.Add(1);
        Interlocked.Increment(ref _directWebSocketCount);
    }

    /// <summary>WebSocket sessions opened on the direct path since start (the <c>bms.realtime.engine.direct_websockets</c> counter).</summary>
    public long DirectWebSocketSessions => Interlocked.Read(ref _directWebSocketCount);

    internal void SocketConnected(string @namespace, string transport) =>
        _connects.Add(1, new("namespace", @namespace), new("transport", transport));

    internal void SocketDisconnected(string @namespace, DisconnectReason reason) =>
        _disconnects.Add(1, new("namespace", @namespace), new("reason", reason.ToWireString()));

    internal void EventRefused(string @namespace, EventRefusalReason reason) =>
        _refusedEvents.Add(1, new("namespace", @namespace), new("reason", reason.ToWireString()));

    internal void PacketReceived(int bytes)
    {
        _packetsIn.Add(1);
        _bytesIn.Add(bytes);
    }

    internal void PacketSent(OutgoingFrame[] frames)
    {
        if (!_packetsOut.Enabled)
        {
            return;
        }

        long bytes = 0;
        foreach (var frame in frames)
        {
            bytes += frame.Data.Length;
        }

        _packetsOut.Add(frames.Length);
        _bytesOut.Add(bytes);
    }

    internal void AckCompleted(string @namespace, string direction, TimeSpan elapsed) =>
        _ackDuration.Record(elapsed.TotalSeconds, new("namespace", @namespace), new("direction", direction));

    internal void BroadcastDelivered(string @namespace, int recipients) => _fanout.Record(recipients, new KeyValuePair<string, object?>("namespace", @namespace));

    private IEnumerable<Measurement<long>> ObserveConnections()
    {
        if (_server is null)
        {
            yield break;
        }

        foreach (var nsp in _server.Namespaces.Values)
        {
            long polling = 0, websocket = 0;
            foreach (var socket in nsp.Sockets.Values)
            {
                if (socket.Transport == "websocket")
                {
                    websocket++;
                }
                else
                {
                    polling++;
                }
            }

            yield return new Measurement<long>(polling, new("namespace", nsp.Name), new("transport", "polling"));
            yield return new Measurement<long>(websocket, new("namespace", nsp.Name), new("transport", "websocket"));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
