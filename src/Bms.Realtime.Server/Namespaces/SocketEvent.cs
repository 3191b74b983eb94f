using Bms.Realtime.Protocol;

namespace Bms.Realtime.Server.Namespaces;

/// <summary>An event received from a client, passed to handlers. Thread-safe.</summary>
public sealed class SocketEvent
{
    private readonly long _receivedAt;
    private int _acknowledged;

    internal SocketEvent(RealtimeSocket socket, string name, EventArguments args, long? ackId)
    {
        Socket = socket;
        Name = name;
        Args = args;
        AckId = ackId;
        _receivedAt = ackId is null ? 0 : socket.Namespace.Server.Time.GetTimestamp();
    }

    /// <summary>The socket that sent the event.</summary>
    public RealtimeSocket Socket { get; }

    /// <summary>The event name.</summary>
    public string Name { get; }

    /// <summary>The arguments after the name.</summary>
    public EventArguments Args { get; }

    /// <summary>The client's acknowledgement id, if it asked for one.</summary>
    public long? AckId { get; }

    /// <summary>True when the client waits for an acknowledgement.</summary>
    public bool HasAck => AckId is not null;

    /// <summary>True once answered.</summary>
    public bool IsAcknowledged => Volatile.Read(ref _acknowledged) != 0;

    /// <summary>Answers the client's acknowledgement. Only the first call sends; later calls and calls without an ack id do nothing.</summary>
    public ValueTask AckAsync(params object?[] args) => AckAsync(args, CancellationToken.None);

    /// <inheritdoc cref="AckAsync(object?[])"/>
    /// <param name="args">The acknowledgement's arguments.</param>
    /// <param name="cancellationToken">Cancels the call before the answer is handed to the socket's writer (the event then stays unanswered).</param>
    public ValueTask AckAsync(object?[] args, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        if (AckId is not { } id || Interlocked.Exchange(ref _acknowledged, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        Socket.SendPacket(SocketPacketEncoder.EncodeAck(Socket.Namespace.Name, id, args, Socket.Namespace.Server.JsonOptions), isVolatile: false, compress: true);
        var server = Socket.Namespace.Server;
        server.Metrics.AckCompleted(Socket.Namespace.Name, "server", server.Time.GetElapsedTime(_receivedAt));
        return ValueTask.CompletedTask;
    }
}
