namespace Bms.Realtime.Server.Adapters;

/// <summary>Modifiers of one broadcast. Immutable.</summary>
/// <param name="Volatile">Drop the packet for recipients whose transport is busy or not connected.</param>
/// <param name="Compress">Allow per-message deflate (when negotiated). Default true.</param>
/// <param name="Local">Deliver on this node only (no cluster fan-out).</param>
/// <param name="Timeout">How long to wait for acknowledgements of a broadcast with ack.</param>
public readonly record struct BroadcastFlags(bool Volatile = false, bool Compress = true, bool Local = false, TimeSpan? Timeout = null);
