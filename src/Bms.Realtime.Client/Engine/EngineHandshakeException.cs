namespace Bms.Realtime.Client.Engine;

/// <summary>The Engine.IO handshake failed (HTTP error, refused upgrade, or no open packet).</summary>
internal sealed class EngineHandshakeException : Exception
{
    public EngineHandshakeException(string message, int? statusCode = null, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
    }

    public int? StatusCode { get; }

    public bool IsAuthenticationFailure => StatusCode is 401 or 403;
}
