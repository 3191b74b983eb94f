using Bms.Realtime.Protocol;

namespace Bms.Realtime.Client;

/// <summary>
/// An event received from the server, handed to <see cref="NamespaceSocket.On(string, Func{IncomingEvent, ValueTask})"/>
/// and <see cref="NamespaceSocket.OnAny"/> handlers. When the server asked for an acknowledgement
/// (<see cref="HasAck"/>), call <see cref="AckAsync"/> once. Thread-safe.
/// </summary>
public sealed class IncomingEvent
{
    private readonly long? _ackId;
    private int _acked;

    internal IncomingEvent(NamespaceSocket socket, string name, EventArguments arguments, long? ackId)
    {
        Socket = socket;
        Name = name;
        Arguments = arguments;
        _ackId = ackId;
    }

    /// <summary>The socket that received the event.</summary>
    public NamespaceSocket Socket { get; }

    /// <summary>The event name.</summary>
    public string Name { get; }

    /// <summary>The arguments (binary placeholders resolved by <see cref="EventArguments.Get{T}"/>).</summary>
    public EventArguments Arguments { get; }

    /// <summary>True when the server waits for an acknowledgement.</summary>
    public bool HasAck => _ackId is not null;

    /// <summary>True once <see cref="AckAsync"/> was called.</summary>
    public bool IsAcknowledged => Volatile.Read(ref _acked) == 1;

    /// <summary>Reads argument <paramref name="index"/> as <typeparamref name="T"/>.</summary>
    public T? Get<T>(int index = 0) => Arguments.Get<T>(index);

    /// <summary>Sends the acknowledgement. Only the first call sends; without an ack id this does nothing.</summary>
    public ValueTask AckAsync(params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (_ackId is not { } id || Interlocked.Exchange(ref _acked, 1) == 1)
        {
            return ValueTask.CompletedTask;
        }

        Socket.SendAck(id, args);
        return ValueTask.CompletedTask;
    }
}
