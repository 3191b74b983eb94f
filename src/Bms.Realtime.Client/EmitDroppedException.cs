namespace Bms.Realtime.Client;

/// <summary>An emit waiting for its acknowledgement was dropped from a full send buffer (or its socket was disposed).</summary>
public sealed class EmitDroppedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EmitDroppedException(string message)
        : base(message)
    {
    }
}
