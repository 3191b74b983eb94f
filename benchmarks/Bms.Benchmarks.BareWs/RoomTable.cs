using System.Collections.Concurrent;

namespace Bms.Benchmarks.BareWs;

/// <summary>Room name to members. Thread-safe.</summary>
internal sealed class RoomTable
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<BareConnection, byte>> _rooms = new();

    public void Join(string room, BareConnection connection) =>
        _rooms.GetOrAdd(room, static _ => new()).TryAdd(connection, 0);

    public void Leave(string room, BareConnection connection)
    {
        if (_rooms.TryGetValue(room, out var members))
        {
            members.TryRemove(connection, out _);
        }
    }

    /// <summary>Writes the same bytes to every member; a failed write affects that member only.</summary>
    public void Broadcast(string room, byte[] frame)
    {
        if (!_rooms.TryGetValue(room, out var members))
        {
            return;
        }

        foreach (var member in members.Keys)
        {
            _ = member.SendAsync(frame);
        }
    }
}
