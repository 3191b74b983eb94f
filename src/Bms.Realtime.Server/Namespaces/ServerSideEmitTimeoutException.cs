using System.Globalization;
using System.Text.Json;

namespace Bms.Realtime.Server.Namespaces;

/// <summary>
/// Thrown by <see cref="RealtimeNamespace.ServerSideEmitWithAckAsync"/> when not every other node acknowledged in time
/// (socket.io rejects <c>serverSideEmitWithAck</c> with "timeout reached" and <c>err.responses</c>); carries the
/// answers that did arrive.
/// </summary>
public sealed class ServerSideEmitTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public ServerSideEmitTimeoutException(IReadOnlyList<JsonElement> responses, int expected)
        : base(string.Create(CultureInfo.InvariantCulture, $"timeout reached: only {responses?.Count ?? 0} responses received out of {expected}"))
    {
        ArgumentNullException.ThrowIfNull(responses);
        Responses = responses;
        Expected = expected;
    }

    /// <summary>The answers received in time, one per node that answered, in arrival order.</summary>
    public IReadOnlyList<JsonElement> Responses { get; }

    /// <summary>How many answers were expected (the other nodes counted when the event was sent).</summary>
    public int Expected { get; }
}
