using Bms.Realtime.Client;

namespace Bms.Web.Components.Services;

/// <summary>
/// Room membership shared by the app's components (the web platform's <c>useRoom</c> hook): a component acquires
/// a room and disposes the lease when done; the room is left only when the last lease is gone. The client re-joins
/// rooms by itself after a reconnect. Scoped. Thread-safe.
/// </summary>
public sealed class RoomLeases(IRealtimeConnection connection)
{
    private readonly Dictionary<(string Namespace, string Room), int> _leases = [];
    private readonly ChangeNotifier _changed = new();
    private readonly IRealtimeConnection _connection = connection;

    /// <summary>The rooms currently held, as <c>namespace room</c> pairs.</summary>
    public IReadOnlyList<(string Namespace, string Room)> Rooms
    {
        get
        {
            lock (_leases)
            {
                return [.. _leases.Keys.OrderBy(k => k.Namespace, StringComparer.Ordinal).ThenBy(k => k.Room, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Subscribes to membership changes; dispose the result to unsubscribe.</summary>
    public IDisposable OnChanged(Action callback) => _changed.Subscribe(callback);

    /// <summary>
    /// Joins <paramref name="room"/> (the first lease sends <c>room:join</c>) and returns a lease whose disposal leaves
    /// it when no other lease holds it. A refused join (<c>forbidden</c>, <c>invalid_room</c>) returns a failed result
    /// and no lease. A join whose answer was lost with the connection counts as joined when the client kept the room
    /// (it re-joins it on the reconnect); any other failure throws and takes no lease.
    /// </summary>
    public async Task<(RoomResult Result, IAsyncDisposable? Lease)> AcquireAsync(string @namespace, string room, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(room);
        var key = (@namespace, room);
        bool first;
        lock (_leases)
        {
            _leases.TryGetValue(key, out var count);
            first = count == 0;
            _leases[key] = count + 1;
        }

        var result = new RoomResult(true);
        if (first)
        {
            try
            {
                result = await _connection.JoinRoomAsync(@namespace, room, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException) when (_connection.GetRooms(@namespace).Contains(room))
            {
                // The answer was lost with the connection; the client kept the room and re-joins it on the reconnect.
            }
            catch
            {
                Release(key);
                throw;
            }

            if (!result.Ok)
            {
                Release(key);
                return (result, null);
            }
        }

        _changed.Notify();
        return (result, new Lease(this, key));
    }

    private bool Release((string Namespace, string Room) key)
    {
        lock (_leases)
        {
            if (!_leases.TryGetValue(key, out var count))
            {
                return false;
            }

            if (count > 1)
            {
                _leases[key] = count - 1;
                return false;
            }

            _leases.Remove(key);
            return true;
        }
    }

    private sealed class Lease(RoomLeases owner, (string Namespace, string Room) key) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1 || !owner.Release(key))
            {
                return;
            }

            owner._changed.Notify();
            if (owner._connection.State == ConnectionState.Connected)
            {
                try
                {
                    await owner._connection.LeaveRoomAsync(key.Namespace, key.Room).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
                {
                    // Leaving is best effort: the server drops the membership with the socket anyway.
                }
            }
        }
    }
}
