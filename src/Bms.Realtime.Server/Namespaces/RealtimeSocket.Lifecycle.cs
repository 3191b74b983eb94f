using System.Collections.Immutable;
using Bms.Realtime.Protocol;
using Bms.Realtime.Server.Adapters;
using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Server.Namespaces;

public sealed partial class RealtimeSocket
{
    private readonly Lock _pendingLock = new();
    private List<SocketPacket>? _pendingPackets;
    private bool _ready;

    /// <summary>Marks the socket connected (before the CONNECT reply is written).</summary>
    internal void MarkConnected() => Interlocked.CompareExchange(ref _state, 1, 0);

    /// <summary>Lets events flow to handlers once the connection handlers have been attached.</summary>
    internal void Activate()
    {
        while (true)
        {
            List<SocketPacket>? pending;
            lock (_pendingLock)
            {
                pending = _pendingPackets;
                _pendingPackets = null;
                if (pending is null)
                {
                    _ready = true;
                    return;
                }
            }

            foreach (var packet in pending)
            {
                Dispatch(packet);
            }
        }
    }

    /// <summary>Handles a packet for this namespace from the read loop.</summary>
    internal void OnPacket(SocketPacket packet)
    {
        if (packet.Type == SocketPacketType.Disconnect)
        {
            _ = OnCloseAsync(DisconnectReason.ClientNamespaceDisconnect);
            return;
        }

        var options = Namespace.Server.Options;
        if (EventNameRules.Check(packet, options.MaxEventNameLength, options.AllowNonAsciiEventNames) is { } refusal)
        {
            RefuseEvent(packet, refusal);
            return;
        }

        lock (_pendingLock)
        {
            if (!_ready)
            {
                (_pendingPackets ??= []).Add(packet);
                return;
            }
        }

        Dispatch(packet);
    }

    /// <summary>
    /// Refuses an event whose name broke the rules: nothing is kept and no handler runs; the client gets an error ack
    /// when it asked for one, and the server's <see cref="RealtimeServer.EventRefused"/> hook a fixed reason.
    /// </summary>
    private void RefuseEvent(SocketPacket packet, EventRefusalReason reason)
    {
        Log.EventRefused(_logger, Id, reason);

        // The hook runs before the error ack is written, so whoever sees the ack sees the hook's effects.
        try
        {
            Namespace.Server.OnEventRefused(this, reason);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, Id, "event refused", ex);
        }

        if (packet.Id is { } id)
        {
            SendPacket(SocketPacketEncoder.EncodeAck(Namespace.Name, id, [RefusedAnswer], Namespace.Server.JsonOptions), isVolatile: false, compress: true);
        }
    }

    private static readonly object RefusedAnswer = new Dictionary<string, object> { ["ok"] = false, ["error"] = "invalid_event" };

    private void Dispatch(SocketPacket packet)
    {
        if (packet.IsAck)
        {
            if (packet.Id is { } id && _acks is { } acks && acks.TryRemove(id, out var callback))
            {
                try
                {
                    callback(packet.Arguments);
                }
                catch (Exception ex)
                {
                    Log.HandlerFailed(_logger, Id, "ack", ex);
                }
            }
            else
            {
                Log.UnknownAck(_logger, Id, packet.Id ?? -1);
            }

            return;
        }

        if (!packet.IsEvent || packet.EventName is not { } name)
        {
            return;
        }

        var e = new SocketEvent(this, name, packet.Arguments, packet.Id);
        Log.EventReceived(_logger, Id, name);
        foreach (var handler in _anyHandlers)
        {
            Invoke(handler, e);
        }

        foreach (var handler in _handlers.Get(name))
        {
            Invoke(handler, e);
        }
    }

    private void Invoke(Func<SocketEvent, ValueTask> handler, SocketEvent e)
    {
        ValueTask pending;
        try
        {
            pending = handler(e);
        }
        catch (Exception ex)
        {
            OnHandlerFailed(e, ex);
            return;
        }

        if (!pending.IsCompletedSuccessfully)
        {
            _ = ObserveAsync(pending, e);
        }
    }

    private async Task ObserveAsync(ValueTask pending, SocketEvent e)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            OnHandlerFailed(e, ex);
        }
    }

    private void OnHandlerFailed(SocketEvent e, Exception ex)
    {
        // A failing handler never kills the connection: log it and answer a waiting client with an error.
        Log.HandlerFailed(_logger, Id, e.Name, ex);
        if (e.HasAck && !e.IsAcknowledged)
        {
            _ = e.AckAsync(new { error = "internal_error", message = "The server failed to handle the event." });
        }
    }

    /// <summary>Leaves the namespace: disconnecting handlers, recovery persistence, room cleanup, disconnect handlers.</summary>
    internal async ValueTask OnCloseAsync(DisconnectReason reason)
    {
        if (Interlocked.Exchange(ref _state, 2) == 2)
        {
            return;
        }

        Log.SocketDisconnected(_logger, Id, Namespace.Name, reason.ToWireString());
        foreach (var handler in _disconnectingHandlers)
        {
            await InvokeLifecycleAsync(handler, reason).ConfigureAwait(false);
        }

        if (Namespace.Server.Options.ConnectionStateRecovery.Enabled && reason.IsRecoverable() && PrivateId is { } pid)
        {
            var session = new PersistedSession(Id, pid, [.. Rooms], _data is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(_data), Namespace.Server.Time.GetUtcNow());
            try
            {
                await Namespace.Adapter.PersistSessionAsync(session).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(_logger, Id, "persist session", ex);
            }
        }

        Namespace.Adapter.DeleteAll(Id);
        Namespace.RemoveSocket(this);
        _client.RemoveSocket(this);
        _acks?.Clear();
        Namespace.Server.Metrics.SocketDisconnected(Namespace.Name, reason);
        foreach (var handler in _disconnectHandlers)
        {
            await InvokeLifecycleAsync(handler, reason).ConfigureAwait(false);
        }
    }

    private async ValueTask InvokeLifecycleAsync(Func<DisconnectReason, ValueTask> handler, DisconnectReason reason)
    {
        try
        {
            await handler(reason).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, Id, "disconnect", ex);
        }
    }

    internal void RestoreFrom(PersistedSession session)
    {
        Recovered = true;
        foreach (var item in session.Data)
        {
            Data[item.Key] = item.Value;
        }

        Join(session.Rooms);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Handler for {Event} on socket {Sid} failed")]
        public static partial void HandlerFailed(ILogger logger, string sid, string @event, Exception exception);

        [LoggerMessage(2, LogLevel.Debug, "Socket {Sid} sent an ack for unknown id {AckId}")]
        public static partial void UnknownAck(ILogger logger, string sid, long ackId);

        [LoggerMessage(3, LogLevel.Trace, "Socket {Sid} received {Event}")]
        public static partial void EventReceived(ILogger logger, string sid, string @event);

        [LoggerMessage(4, LogLevel.Debug, "Socket {Sid} left {Namespace}: {Reason}")]
        public static partial void SocketDisconnected(ILogger logger, string sid, string @namespace, string reason);

        [LoggerMessage(5, LogLevel.Debug, "Socket {Sid} sent an event refused by the event-name rules: {Reason}")]
        public static partial void EventRefused(ILogger logger, string sid, EventRefusalReason reason);
    }
}
