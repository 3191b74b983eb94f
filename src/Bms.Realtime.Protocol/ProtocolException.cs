namespace Bms.Realtime.Protocol;

/// <summary>
/// Thrown by the codecs when input is malformed (as opposed to incomplete, which is reported by a
/// <c>false</c>/<c>null</c> result). A transport that catches it closes the offending session only.
/// </summary>
public sealed class ProtocolException : Exception
{
    /// <summary>Creates the exception with a human-readable reason.</summary>
    public ProtocolException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a reason and the underlying cause (for example a JSON error).</summary>
    public ProtocolException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
