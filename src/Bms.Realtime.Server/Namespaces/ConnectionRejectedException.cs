namespace Bms.Realtime.Server.Namespaces;

/// <summary>
/// Thrown by a namespace middleware to refuse a connection. The client receives CONNECT_ERROR
/// <c>{message, data}</c> (socket.io-client exposes them as <c>err.message</c> and <c>err.data</c>).
/// </summary>
public sealed class ConnectionRejectedException : Exception
{
    /// <summary>Creates the rejection.</summary>
    /// <param name="message">Sent to the client as <c>message</c>.</param>
    /// <param name="data">Optional JSON-serializable details sent as <c>data</c>.</param>
    public ConnectionRejectedException(string message, object? data = null) : base(message)
    {
        ErrorData = data;
    }

    /// <summary>The details sent to the client as <c>data</c>.</summary>
    public object? ErrorData { get; }
}
