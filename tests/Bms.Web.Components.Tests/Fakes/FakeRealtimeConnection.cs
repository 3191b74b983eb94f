using System.Text.Json;
using Bms.Realtime.Client;
using Bms.Web.Components.Services;

namespace Bms.Web.Components.Tests.Fakes;

/// <summary>
/// A scripted <see cref="IRealtimeConnection"/>: tests set the state and statistics and publish events; payloads go
/// through JSON like on the wire, so handlers see what they would see from the server.
/// </summary>
public sealed class FakeRealtimeConnection : IRealtimeConnection
{
    private readonly Lock gate = new();
    private readonly List<(string Namespace, string Event, Func<JsonElement, Task> Handler)> handlers = [];
    private EventHandler<ConnectionStateChangedEventArgs>? stateChanged;

    public ConnectionState State { get; private set; } = ConnectionState.Connected;

    public ClientDisconnectReason LastDisconnectReason { get; set; }

    public Exception? LastError { get; set; }

    public ConnectionStatistics Statistics { get; set; } = new() { State = ConnectionState.Connected, Health = ConnectionHealth.Healthy, Transport = TransportKind.WebSocket };

    public int ConnectCalls { get; private set; }

    public int ReconnectCalls { get; private set; }

    public List<string> JoinedRooms { get; } = [];

    public Func<string, RoomResult> JoinResult { get; set; } = _ => new RoomResult(true);

    /// <summary>When it returns an exception for a room, the join throws it (as a lost or missing answer does).</summary>
    public Func<string, Exception?> JoinException { get; set; } = _ => null;

    /// <summary>Whether a join that throws stays in <see cref="JoinedRooms"/> (the client keeps a join whose answer was lost with the connection).</summary>
    public bool RememberFailedJoins { get; set; }

    public int StateChangedSubscriberCount => stateChanged?.GetInvocationList().Length ?? 0;

    public int SubscriptionCount
    {
        get
        {
            lock (gate)
            {
                return handlers.Count;
            }
        }
    }

    public event EventHandler<ConnectionStateChangedEventArgs>? StateChanged
    {
        add => stateChanged += value;
        remove => stateChanged -= value;
    }

    public event EventHandler<ReconnectAttemptEventArgs>? ReconnectAttempt;

    /// <summary>Announces a scheduled reconnection attempt, as the client does before its delay.</summary>
    public void RaiseReconnectAttempt(int attempt, TimeSpan delay) => ReconnectAttempt?.Invoke(this, new ReconnectAttemptEventArgs(attempt, delay, null));

    public int SubscriptionsFor(string eventName)
    {
        lock (gate)
        {
            return handlers.Count(h => h.Event == eventName);
        }
    }

    public void SetState(ConnectionState state, Exception? error = null)
    {
        var previous = State;
        State = state;
        LastError = error ?? LastError;
        Statistics = Statistics with { State = state };
        stateChanged?.Invoke(this, new ConnectionStateChangedEventArgs(previous, state, ClientDisconnectReason.None, error));
    }

    public async Task PublishAsync(string eventName, object payload, string @namespace = "/main")
    {
        var element = JsonSerializer.SerializeToElement(payload, JsonSerializerOptions.Web);
        List<Func<JsonElement, Task>> targets;
        lock (gate)
        {
            targets = [.. handlers.Where(h => h.Namespace == @namespace && h.Event == eventName).Select(h => h.Handler)];
        }

        foreach (var handler in targets)
        {
            await handler(element);
        }
    }

    public ConnectionStatistics GetStatistics() => Statistics;

    public Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        ConnectCalls++;
        SetState(ConnectionState.Connected);
        return Task.CompletedTask;
    }

    public Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        SetState(ConnectionState.Disconnected);
        return Task.CompletedTask;
    }

    public Task ReconnectAsync(CancellationToken cancellationToken = default)
    {
        ReconnectCalls++;
        SetState(ConnectionState.Connected);
        return Task.CompletedTask;
    }

    public IDisposable Subscribe<T>(string @namespace, string eventName, Func<T?, Task> handler)
    {
        var entry = (@namespace, eventName, (Func<JsonElement, Task>)(e => handler(e.Deserialize<T>(JsonSerializerOptions.Web))));
        lock (gate)
        {
            handlers.Add(entry);
        }

        return new Unsubscribe(() =>
        {
            lock (gate)
            {
                handlers.Remove(entry);
            }
        });
    }

    public Task<RoomResult> JoinRoomAsync(string @namespace, string room, CancellationToken cancellationToken = default)
    {
        if (JoinException(room) is { } error)
        {
            if (RememberFailedJoins)
            {
                JoinedRooms.Add(room);
            }

            return Task.FromException<RoomResult>(error);
        }

        var result = JoinResult(room);
        if (result.Ok)
        {
            JoinedRooms.Add(room);
        }

        return Task.FromResult(result);
    }

    public Task<RoomResult> LeaveRoomAsync(string @namespace, string room, CancellationToken cancellationToken = default)
    {
        JoinedRooms.Remove(room);
        return Task.FromResult(new RoomResult(true));
    }

    public IReadOnlyCollection<string> GetRooms(string @namespace) => [.. JoinedRooms];

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        private int done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref done, 1) == 0)
            {
                action();
            }
        }
    }
}
