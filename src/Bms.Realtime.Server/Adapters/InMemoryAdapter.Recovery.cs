using System.Collections.Immutable;
using System.Globalization;
using Bms.Realtime.Protocol;

namespace Bms.Realtime.Server.Adapters;

public partial class InMemoryAdapter
{
    private readonly string _offsetPrefix;
    private readonly Lock _recoveryLock = new();
    private readonly Dictionary<string, PersistedSession> _sessions = new(StringComparer.Ordinal);
    private readonly Queue<StoredPacket> _packets = new();
    private long _offsetCounter;

    /// <summary>
    /// Encodes a broadcast once. With recovery on and a non-volatile packet, appends the offset as the last argument
    /// (as the reference server) and stores the packet for replay.
    /// </summary>
    protected EncodedPacket EncodeForBroadcast(string eventName, object?[] args, BroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);
        var recovery = Namespace.Server.Options.ConnectionStateRecovery;
        if (!recovery.Enabled || options.Flags.Volatile)
        {
            return SocketPacketEncoder.EncodeEvent(Namespace.Name, eventName, args, null, Namespace.Server.JsonOptions);
        }

        lock (_recoveryLock)
        {
            var sequence = ++_offsetCounter;
            var offset = _offsetPrefix + "-" + sequence.ToString(CultureInfo.InvariantCulture);
            var withOffset = new object?[args.Length + 1];
            args.CopyTo(withOffset, 0);
            withOffset[^1] = offset;
            var packet = SocketPacketEncoder.EncodeEvent(Namespace.Name, eventName, withOffset, null, Namespace.Server.JsonOptions);
            var now = Namespace.Server.Time.GetUtcNow();
            _packets.Enqueue(new StoredPacket(sequence, now, packet, options.Rooms, options.Except));
            TrimPacketsLocked(now - recovery.MaxDisconnectionDuration);
            return packet;
        }
    }

    /// <inheritdoc />
    public virtual ValueTask PersistSessionAsync(PersistedSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        lock (_recoveryLock)
        {
            _sessions[session.Pid] = session;
            TrimLocked(Namespace.Server.Time.GetUtcNow() - Namespace.Server.Options.ConnectionStateRecovery.MaxDisconnectionDuration);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public virtual ValueTask<RestoredSession?> RestoreSessionAsync(string pid, string offset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pid);
        ArgumentNullException.ThrowIfNull(offset);
        lock (_recoveryLock)
        {
            var cutoff = Namespace.Server.Time.GetUtcNow() - Namespace.Server.Options.ConnectionStateRecovery.MaxDisconnectionDuration;
            TrimLocked(cutoff);
            if (!_sessions.Remove(pid, out var session) || session.DisconnectedAt < cutoff)
            {
                return ValueTask.FromResult<RestoredSession?>(null);
            }

            // The offset must be one of ours and still in the store; otherwise packets may have been lost.
            var dash = offset.LastIndexOf('-');
            if (dash <= 0 || offset[..dash] != _offsetPrefix
                || !long.TryParse(offset.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var last))
            {
                return ValueTask.FromResult<RestoredSession?>(null);
            }

            if (last != _offsetCounter && (_packets.Count == 0 || _packets.Peek().Sequence > last + 1))
            {
                return ValueTask.FromResult<RestoredSession?>(null);
            }

            var rooms = session.Rooms.ToImmutableHashSet(StringComparer.Ordinal);
            var missed = new List<EncodedPacket>();
            foreach (var stored in _packets)
            {
                if (stored.Sequence > last && stored.Matches(rooms))
                {
                    missed.Add(stored.Packet);
                }
            }

            return ValueTask.FromResult<RestoredSession?>(new RestoredSession(session, missed));
        }
    }

    private void TrimPacketsLocked(DateTimeOffset cutoff)
    {
        while (_packets.Count > 0 && _packets.Peek().EmittedAt < cutoff)
        {
            _packets.Dequeue();
        }
    }

    private void TrimLocked(DateTimeOffset cutoff)
    {
        TrimPacketsLocked(cutoff);

        if (_sessions.Count > 0)
        {
            foreach (var expired in _sessions.Where(s => s.Value.DisconnectedAt < cutoff).Select(s => s.Key).ToList())
            {
                _sessions.Remove(expired);
            }
        }
    }

    private sealed record StoredPacket(long Sequence, DateTimeOffset EmittedAt, EncodedPacket Packet, ImmutableHashSet<string> Rooms, ImmutableHashSet<string> Except)
    {
        public bool Matches(ImmutableHashSet<string> socketRooms)
        {
            if (Except.Overlaps(socketRooms))
            {
                return false;
            }

            return Rooms.Count == 0 || Rooms.Overlaps(socketRooms);
        }
    }
}
