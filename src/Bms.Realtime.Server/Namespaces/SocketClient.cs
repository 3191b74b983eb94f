using System.Text.Json;
using Bms.Realtime.Protocol;
using Bms.Realtime.Server.Engine;
using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Server.Namespaces;

/// <summary>
/// The Socket.IO side of one Engine.IO session: decodes packets, routes them to the namespace sockets multiplexed on
/// the connection, runs namespace joins and enforces <c>connectTimeout</c>.
/// </summary>
internal sealed partial class SocketClient : IEngineSessionHandler
{
    private readonly RealtimeServer _server;
    private readonly SocketPacketDecoder _decoder;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();

    // Most clients join one namespace: it sits in _socket; a dictionary exists only for the second one. Namespaces
    // being joined are tracked only while a join runs. Both guarded by _lock.
    private RealtimeSocket? _socket;
    private Dictionary<string, RealtimeSocket>? _moreSockets;
    private HashSet<string>? _joining;
    private readonly long _connectDeadline;
    private bool _everJoined;

    // When the binary packet being reconstructed started (timestamp), 0 when none: written by the read loop, read by
    // the heartbeat.
    private long _attachmentsSince;

    public SocketClient(RealtimeServer server, EngineSession session, ILogger logger)
    {
        _server = server;
        Session = session;
        _logger = logger;
        _decoder = new SocketPacketDecoder(server.ClientDecoderOptions);
        _connectDeadline = server.Time.GetTimestamp() + (long)(server.Options.ConnectTimeout.TotalSeconds * server.Time.TimestampFrequency);
    }

    public EngineSession Session { get; }

    public void OnMessage(EngineSession session, in EnginePacket packet)
    {
        _server.Metrics.PacketReceived(packet.Data.Length);
        var decoded = packet.IsBinary ? _decoder.DecodeBinary(packet.Data) : _decoder.DecodeText(packet.Data.Span);
        if (_decoder.IsAwaitingAttachments)
        {
            if (Volatile.Read(ref _attachmentsSince) == 0)
            {
                Volatile.Write(ref _attachmentsSince, _server.Time.GetTimestamp());
            }
        }
        else if (Volatile.Read(ref _attachmentsSince) != 0)
        {
            Volatile.Write(ref _attachmentsSince, 0);
        }

        if (decoded is not null)
        {
            Route(decoded);
        }
    }

    public void OnClose(EngineSession session, EngineCloseReason reason, string? description)
    {
        _decoder.Reset();
        var socketReason = reason switch
        {
            EngineCloseReason.TransportClose => DisconnectReason.TransportClose,
            EngineCloseReason.PingTimeout => DisconnectReason.PingTimeout,
            EngineCloseReason.ParseError => DisconnectReason.ParseError,
            EngineCloseReason.ForcedClose => DisconnectReason.ForcedClose,
            EngineCloseReason.ServerShuttingDown => DisconnectReason.ServerShuttingDown,
            _ => DisconnectReason.TransportError,
        };

        foreach (var socket in SnapshotSockets())
        {
            _ = socket.OnCloseAsync(socketReason);
        }
    }

    public void OnTick(EngineSession session, long timestamp)
    {
        var since = Volatile.Read(ref _attachmentsSince);
        if (since != 0 && timestamp - since >= (long)(_server.Options.AttachmentTimeout.TotalSeconds * _server.Time.TimestampFrequency))
        {
            Log.AttachmentTimeout(_logger, session.Id);
            session.Close(EngineCloseReason.ParseError, "unfinished binary packet", sendClosePacket: false);
            return;
        }

        bool expired;
        lock (_lock)
        {
            expired = !_everJoined && _joining is null && timestamp >= _connectDeadline;
        }

        if (expired)
        {
            Log.ConnectTimeout(_logger, session.Id);
            session.Close(EngineCloseReason.ForcedClose, "connect timeout", sendClosePacket: true);
        }
    }

    /// <summary>Sends DISCONNECT for every namespace, then closes the connection ("forced server close").</summary>
    public void DisconnectAll()
    {
        foreach (var socket in SnapshotSockets())
        {
            socket.SendPacket(SocketPacketEncoder.EncodeDisconnect(socket.Namespace.Name), isVolatile: false, compress: true);
            _ = socket.OnCloseAsync(DisconnectReason.ServerNamespaceDisconnect);
        }

        Session.Close(EngineCloseReason.ForcedClose, "forced server close", sendClosePacket: true);
    }

    public void RemoveSocket(RealtimeSocket socket)
    {
        lock (_lock)
        {
            if (_socket == socket)
            {
                _socket = null;
            }
            else if (_moreSockets is not null && _moreSockets.TryGetValue(socket.Namespace.Name, out var current) && current == socket)
            {
                _moreSockets.Remove(socket.Namespace.Name);
            }
        }
    }

    private List<RealtimeSocket> SnapshotSockets()
    {
        lock (_lock)
        {
            var all = new List<RealtimeSocket>(1 + (_moreSockets?.Count ?? 0));
            if (_socket is not null)
            {
                all.Add(_socket);
            }

            if (_moreSockets is not null)
            {
                all.AddRange(_moreSockets.Values);
            }

            return all;
        }
    }

    private RealtimeSocket? FindSocketLocked(string name)
    {
        if (_socket is not null && _socket.Namespace.Name == name)
        {
            return _socket;
        }

        return _moreSockets is not null && _moreSockets.TryGetValue(name, out var socket) ? socket : null;
    }

    private void Route(SocketPacket packet)
    {
        Log.PacketReceived(_logger, Session.Id, packet.Type, packet.Namespace);
        if (packet.Type == SocketPacketType.Connect)
        {
            lock (_lock)
            {
                _joining ??= new HashSet<string>(StringComparer.Ordinal);
                if (FindSocketLocked(packet.Namespace) is not null || !_joining.Add(packet.Namespace))
                {
                    throw new ProtocolException("Second CONNECT for namespace " + packet.Namespace);
                }
            }

            _ = ConnectAsync(packet.Namespace, packet.Data);
            return;
        }

        RealtimeSocket? socket;
        lock (_lock)
        {
            socket = FindSocketLocked(packet.Namespace);
        }

        if (socket is null)
        {
            throw new ProtocolException("Packet for a namespace that is not joined: " + packet.Namespace);
        }

        socket.OnPacket(packet);
    }

    private async Task ConnectAsync(string name, JsonElement? auth)
    {
        try
        {
            await ConnectCoreAsync(name, auth).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ConnectFailed(_logger, Session.Id, name, ex);
            Send(SocketPacketEncoder.EncodeConnectError(name, "Internal server error"));
        }
        finally
        {
            lock (_lock)
            {
                if (_joining is not null && _joining.Remove(name) && _joining.Count == 0)
                {
                    _joining = null;
                }
            }
        }
    }

    private async Task ConnectCoreAsync(string name, JsonElement? auth)
    {
        var nsp = await _server.ResolveNamespaceAsync(name, Session.Request, auth).ConfigureAwait(false);
        if (nsp is null)
        {
            Log.InvalidNamespace(_logger, Session.Id, name);
            Send(SocketPacketEncoder.EncodeConnectError(name, "Invalid namespace"));
            return;
        }

        var recovery = _server.Options.ConnectionStateRecovery;
        Adapters.RestoredSession? restored = null;
        if (recovery.Enabled && auth is { ValueKind: JsonValueKind.Object } a
            && a.TryGetProperty("pid", out var pid) && pid.ValueKind == JsonValueKind.String
            && a.TryGetProperty("offset", out var offset) && offset.ValueKind == JsonValueKind.String)
        {
            restored = await nsp.Adapter.RestoreSessionAsync(pid.GetString()!, offset.GetString()!).ConfigureAwait(false);
        }

        var handshake = new SocketHandshake(Session.Request, auth);
        var socket = restored is { } r
            ? new RealtimeSocket(nsp, this, handshake, r.Session.Sid, r.Session.Pid, _server.SocketLogger)
            : new RealtimeSocket(nsp, this, handshake, EngineServer.NewId(), recovery.Enabled ? EngineServer.NewId() : null, _server.SocketLogger);

        if (restored is null || !recovery.SkipMiddlewares)
        {
            try
            {
                await nsp.RunMiddlewaresAsync(socket, Session).ConfigureAwait(false);
            }
            catch (ConnectionRejectedException rejected)
            {
                Log.Rejected(_logger, Session.Id, name, rejected.Message);
                Send(SocketPacketEncoder.EncodeConnectError(name, rejected.Message, rejected.ErrorData, _server.JsonOptions));
                return;
            }
        }

        if (Session.IsClosed)
        {
            return;
        }

        if (restored is not null)
        {
            socket.RestoreFrom(restored.Session);
        }

        socket.Join(socket.Id);
        lock (_lock)
        {
            if (_socket is null || _socket.Namespace.Name == name)
            {
                _socket = socket;
                _moreSockets?.Remove(name);
            }
            else
            {
                (_moreSockets ??= new Dictionary<string, RealtimeSocket>(StringComparer.Ordinal))[name] = socket;
            }

            _everJoined = true;
        }

        nsp.AddSocket(socket);
        socket.MarkConnected();

        // Recovery: missed packets go out before the CONNECT reply; the client buffers them until it is connected.
        if (restored is not null)
        {
            foreach (var missed in restored.MissedPackets)
            {
                Send(missed);
            }
        }

        Send(SocketPacketEncoder.EncodeConnect(name, socket.PrivateId is { } p ? new ConnectReply(socket.Id, p) : new { sid = socket.Id }, _server.JsonOptions));
        _server.Metrics.SocketConnected(name, Session.TransportName);
        nsp.RunConnectionHandlers(socket);
    }

    private void Send(EncodedPacket packet) => Session.Send(PacketFrames.Create(packet));

    private sealed record ConnectReply(string Sid, string Pid);
}
