namespace Bms.Realtime.Client;

/// <summary>A transition of <see cref="WebSocketClient.State"/>.</summary>
/// <param name="Previous">The state before.</param>
/// <param name="Current">The new state.</param>
/// <param name="Reason">The disconnect reason that caused it (<see cref="ClientDisconnectReason.None"/> for connects).</param>
/// <param name="Error">The error that caused it, if any.</param>
public sealed record ConnectionStateChangedEventArgs(
    ConnectionState Previous,
    ConnectionState Current,
    ClientDisconnectReason Reason,
    Exception? Error);
