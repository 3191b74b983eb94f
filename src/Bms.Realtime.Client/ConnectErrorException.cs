using System.Text.Json;

namespace Bms.Realtime.Client;

/// <summary>
/// The server refused a connection: a Socket.IO <c>connect_error</c> (<c>{message, data}</c>, e.g. <c>unauthorized</c>,
/// <c>token_expired</c>, <c>Invalid namespace</c>) or an HTTP error on the Engine.IO handshake.
/// </summary>
public sealed class ConnectErrorException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConnectErrorException(string message, JsonElement? data = null, int? httpStatusCode = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorData = data;
        HttpStatusCode = httpStatusCode;
    }

    /// <summary>The <c>data</c> of the connect_error (for example <c>{"code":"unauthorized"}</c>), if any.</summary>
    public JsonElement? ErrorData { get; }

    /// <summary>The HTTP status of a refused handshake (401, 403), if that is how the refusal came.</summary>
    public int? HttpStatusCode { get; }

    /// <summary>
    /// True when the server said the token expired: message or <c>data.code</c> is <c>token_expired</c>
    /// (also accepted: <c>token expired</c>, <c>jwt expired</c>, any case).
    /// </summary>
    public bool IsTokenExpired => IsExpiredText(Message) || IsExpiredText(Code);

    /// <summary>The <c>data.code</c> string, if present.</summary>
    public string? Code =>
        ErrorData is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String
            ? c.GetString()
            : null;

    private static bool IsExpiredText(string? text) =>
        text is not null
        && (text.Equals("token_expired", StringComparison.OrdinalIgnoreCase)
            || text.Equals("token expired", StringComparison.OrdinalIgnoreCase)
            || text.Equals("jwt expired", StringComparison.OrdinalIgnoreCase));
}
