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

    /// <summary>Sets how long <see cref="EmitWithAckAsync"/> waits for every recipient.</summary>
    public BroadcastOperator Timeout(TimeSpan timeout) => With(_options with { Flags = _options.Flags with { Timeout = timeout } });

    /// <summary>Emits the event (encoded once, same bytes to every recipient).</summary>
    public ValueTask EmitAsync(string eventName, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(args);
        return RealtimeTracing.Source.HasListeners()
            ? EmitTracedAsync(eventName, args)
            : _namespace.Adapter.BroadcastAsync(eventName, args, _options);
    }

    // An async method, so the span is current only inside it and never leaks into the caller's context.
    private async ValueTask EmitTracedAsync(string eventName, object?[] args)
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

        await _namespace.Adapter.BroadcastAsync(eventName, args, _options).ConfigureAwait(false);
    }

    /// <summary>
    /// Emits an event asking every recipient for an acknowledgement and collects the answers. The wait is bounded by
    /// <see cref="Timeout"/> (default 10 s).
    /// </summary>
    /// <exception cref="BroadcastAckTimeoutException">Not every recipient answered in time (holds the answers received).</exception>
    public async Task<IReadOnlyList<EventArguments>> EmitWithAckAsync(string eventName, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        var responses = new List<EventArguments>();
        var gate = new object();
        var expected = -1;
        var nodesPending = 1;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serverCount = _options.Flags.Local ? 1 : await _namespace.Adapter.ServerCountAsync().ConfigureAwait(false);
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
            }).ConfigureAwait(false);

        var timeout = _options.Flags.Timeout ?? TimeSpan.FromSeconds(10);
        try
        {
            await done.Task.WaitAsync(timeout, _namespace.Server.Time).ConfigureAwait(false);
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
    public ValueTask SocketsJoinAsync(params string[] rooms) => _namespace.Adapter.AddSocketsAsync(_options, rooms);

    /// <summary>Makes the matching sockets leave rooms.</summary>
    public ValueTask SocketsLeaveAsync(params string[] rooms) => _namespace.Adapter.DelSocketsAsync(_options, rooms);

    /// <summary>Disconnects the matching sockets.</summary>
    public ValueTask DisconnectSocketsAsync(bool close = false) => _namespace.Adapter.DisconnectSocketsAsync(_options, close);

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
