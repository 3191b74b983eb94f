namespace Bms.Realtime.Client.Engine;

/// <summary>Traffic counters shared by every engine connection of one client. Thread-safe (interlocked).</summary>
internal sealed class EngineCounters
{
    private long _packetsIn;
    private long _packetsOut;
    private long _bytesIn;
    private long _bytesOut;
    private long _lastPacketTimestamp;

    public long PacketsIn => Interlocked.Read(ref _packetsIn);

    public long PacketsOut => Interlocked.Read(ref _packetsOut);

    public long BytesIn => Interlocked.Read(ref _bytesIn);

    public long BytesOut => Interlocked.Read(ref _bytesOut);

    /// <summary>UTC ticks of the last received packet; 0 before the first one.</summary>
    public long LastPacketUtcTicks => Interlocked.Read(ref _lastPacketTimestamp);

    public void Received(int packets, long bytes, DateTimeOffset now)
    {
        Interlocked.Add(ref _packetsIn, packets);
        Interlocked.Add(ref _bytesIn, bytes);
        Interlocked.Exchange(ref _lastPacketTimestamp, now.UtcTicks);
    }

    public void Sent(int packets, long bytes)
    {
        Interlocked.Add(ref _packetsOut, packets);
        Interlocked.Add(ref _bytesOut, bytes);
    }
}
