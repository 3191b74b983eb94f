namespace Bms.Realtime.Server.Namespaces;

/// <summary>Why a socket left its namespace: the closed set of the reference server.</summary>
public enum DisconnectReason
{
    /// <summary>"transport error": the connection failed.</summary>
    TransportError,
    /// <summary>"transport close": the client closed the connection or the network dropped it.</summary>
    TransportClose,
    /// <summary>"forced close": the engine connection was closed by the server.</summary>
    ForcedClose,
    /// <summary>"ping timeout": the client did not answer a ping in time.</summary>
    PingTimeout,
    /// <summary>"parse error": the client sent malformed data.</summary>
    ParseError,
    /// <summary>"server shutting down".</summary>
    ServerShuttingDown,
    /// <summary>"forced server close": the server closed the whole connection (e.g. <c>DisconnectAsync(close: true)</c>).</summary>
    ForcedServerClose,
    /// <summary>"client namespace disconnect": the client left the namespace.</summary>
    ClientNamespaceDisconnect,
    /// <summary>"server namespace disconnect": the server removed the socket from the namespace.</summary>
    ServerNamespaceDisconnect,
}

/// <summary>Helpers for <see cref="DisconnectReason"/>.</summary>
public static class DisconnectReasonExtensions
{
    /// <summary>The reason as the reference server spells it.</summary>
    public static string ToWireString(this DisconnectReason reason) => reason switch
    {
        DisconnectReason.TransportError => "transport error",
        DisconnectReason.TransportClose => "transport close",
        DisconnectReason.ForcedClose => "forced close",
        DisconnectReason.PingTimeout => "ping timeout",
        DisconnectReason.ParseError => "parse error",
        DisconnectReason.ServerShuttingDown => "server shutting down",
        DisconnectReason.ForcedServerClose => "forced server close",
        DisconnectReason.ClientNamespaceDisconnect => "client namespace disconnect",
        _ => "server namespace disconnect",
    };

    /// <summary>True for the reasons after which connection-state recovery keeps the session.</summary>
    public static bool IsRecoverable(this DisconnectReason reason) => reason is DisconnectReason.TransportError
        or DisconnectReason.TransportClose or DisconnectReason.ForcedClose or DisconnectReason.PingTimeout
        or DisconnectReason.ServerShuttingDown or DisconnectReason.ForcedServerClose;
}
