namespace Bms.Realtime.Client;

/// <summary>A reconnection attempt is scheduled.</summary>
/// <param name="Attempt">1-based attempt number.</param>
/// <param name="Delay">The delay before the attempt.</param>
/// <param name="LastError">The error of the previous attempt, if any.</param>
public sealed record ReconnectAttemptEventArgs(int Attempt, TimeSpan Delay, Exception? LastError);
