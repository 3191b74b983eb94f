using System.Diagnostics;
using Bms.Realtime.Protocol;
using Bms.Realtime.Server.Adapters;
using Bms.Realtime.Server.Hosting;

namespace Bms.Realtime.Server.Namespaces;

/// <summary>
/// An immutable description of a broadcast: target rooms, excluded rooms and flags. Every modifier returns a new
/// operator, so one can be kept and reused from any thread.
/// </summary>
/// <example><code>await io.Of("/main").To("store:1").Except("user:7").Volatile.EmitAsync("tick", 1);</code></example>
public sealed class BroadcastOperator
{
    private readonly RealtimeNamespace _namespace;
    private readonly BroadcastOptions _options;

    internal BroadcastOperator(RealtimeNamespace @namespace)
        : this(@namespace, BroadcastOptions.All)
    {
    }

    private BroadcastOperator(RealtimeNamespace @namespace, BroadcastOptions options)
    {
        _namespace = @namespace;
        _options = options;
    }

    /// <summary>The resolved options.</summary>
    public BroadcastOptions Options => _options;

    /// <summary>Adds a target room.</summary>
    public BroadcastOperator To(string room)
    {
        ArgumentNullException.ThrowIfNull(room);
        return With(_options with { Rooms = _options.Rooms.Add(room) });
    }

    /// <summary>Adds target rooms.</summary>
    public BroadcastOperator To(IEnumerable<string> rooms)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        return With(_options with { Rooms = _options.Rooms.Union(rooms) });
    }

    /// <summary>Same as <see cref="To(string)"/>.</summary>
    public BroadcastOperator In(string room) => To(room);

    /// <summary>Excludes the sockets of a room (or one socket by id).</summary>
    public BroadcastOperator Except(string room)
    {
        ArgumentNullException.ThrowIfNull(room);
        return With(_options with { Except = _options.Except.Add(room) });
    }

    /// <summary>Excludes several rooms.</summary>
    public BroadcastOperator Except(IEnumerable<string> rooms)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        return With(_options with { Except = _options.Except.Union(rooms) });
    }

    /// <summary>Delivers on this node only.</summary>
    public BroadcastOperator Local => With(_options with { Flags = _options.Flags with { Local = true } });

    /// <summary>Drops the packet for recipients that are not ready to receive it.</summary>
    public BroadcastOperator Volatile => With(_options with { Flags = _options.Flags with { Volatile = true } });

    /// <summary>Allows or forbids per-message deflate.</summary>
    public BroadcastOperator Compress(bool compress) => With(_options with { Flags = _options.Flags with { Compress = compress } });

    /// <summary>Sets how long <see cref="EmitWithAckAsync(string, object?[])"/> waits for every recipient.</summary>
    public BroadcastOperator Timeout(TimeSpan timeout) => With(_options with { Flags = _options.Flags with { Timeout = timeout } });

    /// <summary>Emits the event (encoded once, same bytes to every recipient).</summary>
    public ValueTask EmitAsync(string eventName, params object?[] args) => EmitAsync(eventName, args, CancellationToken.None);

    /// <inheritdoc cref="EmitAsync(string, object?[])"/>
    /// <param name="eventName">The event name.</param>
    /// <param name="args">The event's arguments.</param>
    /// <param name="cancellationToken">Cancels the hand-over to the adapter (with a cluster adapter, the publish to the other nodes); local sockets that were already written to keep the packet.</param>
    public ValueTask EmitAsync(string eventName, object?[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(args);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        return RealtimeTracing.Source.HasListeners()
            ? EmitTracedAsync(eventName, args, cancellationToken)
            : _namespace.Adapter.BroadcastAsync(eventName, args, _options, cancellationToken);
    }

    // An async method, so the span is current only inside it and never leaks into the caller's context.
    private async ValueTask EmitTracedAsync(string eventName, object?[] args, CancellationToken cancellationToken)
    {
        using var activity = RealtimeTracing.Source.StartActivity("socket.io emit", ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "socket.io");
            activity.SetTag("messaging.destination.name", _namespace.Name);
            activity.SetTag("socket.io.event", eventName);
            if (_options.Rooms.Count > 0)
            {
                activity.SetTag("socket.io.rooms", string.Join(',', _options.Rooms));
            }
        }

        await _namespace.Adapter.BroadcastAsync(eventName, args, _options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Emits an event asking every recipient for an acknowledgement and collects the answers. The wait is bounded by
    /// <see cref="Timeout"/> (default 10 s).
    /// </summary>
    /// <exception cref="BroadcastAckTimeoutException">Not every recipient answered in time (holds the answers received).</exception>
    public Task<IReadOnlyList<EventArguments>> EmitWithAckAsync(string eventName, params object?[] args) =>
        EmitWithAckAsync(eventName, args, CancellationToken.None);

    /// <inheritdoc cref="EmitWithAckAsync(string, object?[])"/>
    /// <param name="eventName">The event name.</param>
    /// <param name="args">The event's arguments.</param>
    /// <param name="cancellationToken">Ends the wait for the answers (<see cref="OperationCanceledException"/>); answers arriving later are ignored.</param>
    public async Task<IReadOnlyList<EventArguments>> EmitWithAckAsync(string eventName, object?[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(args);
        cancellationToken.ThrowIfCancellationRequested();
        var responses = new List<EventArguments>();
        var gate = new object();
        var expected = -1;
        var nodesPending = 1;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serverCount = _options.Flags.Local ? 1 : await _namespace.Adapter.ServerCountAsync(cancellationToken).ConfigureAwait(false);
        nodesPending = serverCount;
        var total = 0;

        void CheckDone()
        {
            if (nodesPending == 0 && responses.Count >= total)
            {
                done.TrySetResult();
            }
        }

        await _namespace.Adapter.BroadcastWithAckAsync(
            eventName,
            args,
            _options,
            count =>
            {
                lock (gate)
                {
                    total += count;
                    nodesPending--;
                    expected = total;
                    CheckDone();
                }
            },
            answer =>
            {
                lock (gate)
                {
                    responses.Add(answer);
                    CheckDone();
                }
            },
            cancellationToken).ConfigureAwait(false);

        var timeout = _options.Flags.Timeout ?? TimeSpan.FromSeconds(10);
        try
        {
            await done.Task.WaitAsync(timeout, _namespace.Server.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (gate)
            {
                throw new BroadcastAckTimeoutException([.. responses], Math.Max(expected, responses.Count));
            }
        }

        lock (gate)
        {
            return [.. responses];
        }
    }

    /// <summary>Snapshots of the matching sockets.</summary>
    public ValueTask<IReadOnlyList<SocketDescriptor>> FetchSocketsAsync(CancellationToken cancellationToken = default) =>
        _namespace.Adapter.FetchSocketsAsync(_options, cancellationToken);

    /// <summary>Makes the matching sockets join rooms.</summary>
    public ValueTask SocketsJoinAsync(params string[] rooms) => SocketsJoinAsync(rooms, CancellationToken.None);

    /// <summary>Makes the matching sockets join rooms.</summary>
    /// <param name="rooms">The rooms to join.</param>
    /// <param name="cancellationToken">Cancels the request (with a cluster adapter, the publish to the other nodes).</param>
    public ValueTask SocketsJoinAsync(IReadOnlyCollection<string> rooms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        return cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled(cancellationToken)
            : _namespace.Adapter.AddSocketsAsync(_options, rooms, cancellationToken);
    }

    /// <summary>Makes the matching sockets leave rooms.</summary>
    public ValueTask SocketsLeaveAsync(params string[] rooms) => SocketsLeaveAsync(rooms, CancellationToken.None);

    /// <summary>Makes the matching sockets leave rooms.</summary>
    /// <param name="rooms">The rooms to leave.</param>
    /// <param name="cancellationToken">Cancels the request (with a cluster adapter, the publish to the other nodes).</param>
    public ValueTask SocketsLeaveAsync(IReadOnlyCollection<string> rooms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        return cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled(cancellationToken)
            : _namespace.Adapter.DelSocketsAsync(_options, rooms, cancellationToken);
    }

    /// <summary>Disconnects the matching sockets.</summary>
    /// <param name="close">Also closes each socket's whole underlying connection.</param>
    /// <param name="cancellationToken">Cancels the request (with a cluster adapter, the publish to the other nodes).</param>
    public ValueTask DisconnectSocketsAsync(bool close = false, CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled(cancellationToken)
            : _namespace.Adapter.DisconnectSocketsAsync(_options, close, cancellationToken);

    private BroadcastOperator With(BroadcastOptions options) => new(_namespace, options);
}

/// <summary>Thrown when a broadcast with acknowledgement times out; carries what did arrive.</summary>
public sealed class BroadcastAckTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public BroadcastAckTimeoutException(IReadOnlyList<EventArguments> responses, int expected)
        : base($"{responses.Count} of {expected} acknowledgements arrived before the timeout.")
    {
        Responses = responses;
        Expected = expected;
    }

    /// <summary>The answers received in time.</summary>
    public IReadOnlyList<EventArguments> Responses { get; }

    /// <summary>How many answers were expected.</summary>
    public int Expected { get; }
}
