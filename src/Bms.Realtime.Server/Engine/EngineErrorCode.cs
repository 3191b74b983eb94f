namespace Bms.Realtime.Server.Engine;

/// <summary>The HTTP error codes of the reference Engine.IO server (JSON body <c>{"code":N,"message":"…"}</c>).</summary>
public enum EngineErrorCode
{
    /// <summary>"Transport unknown".</summary>
    UnknownTransport = 0,
    /// <summary>"Session ID unknown".</summary>
    UnknownSid = 1,
    /// <summary>"Bad handshake method".</summary>
    BadHandshakeMethod = 2,
    /// <summary>"Bad request".</summary>
    BadRequest = 3,
    /// <summary>"Forbidden" (HTTP 403).</summary>
    Forbidden = 4,
    /// <summary>"Unsupported protocol version".</summary>
    UnsupportedProtocolVersion = 5,
}
