namespace Bms.Realtime.Client;

/// <summary>
/// The server refused the credentials (a <c>connect_error</c> other than an expired token that a refresh fixed, or HTTP
/// 401/403 on the handshake). The socket (or client) stopped retrying; the application may sign the user out.
/// </summary>
/// <param name="Namespace">The namespace that was refused, or null when the engine handshake itself was refused.</param>
/// <param name="Error">The error, with the server's message and data.</param>
public sealed record AuthenticationFailedEventArgs(string? Namespace, ConnectErrorException Error);
