using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Bms.Server.Realtime;

/// <summary>
/// The latest <c>sync:status</c> report of each terminal, kept in memory on this node (a report is re-sent by
/// terminals periodically, so nothing needs persisting). Thread-safe singleton.
/// </summary>
internal sealed class TerminalStatusBoard
{
    private readonly ConcurrentDictionary<string, JsonObject> latest = new(StringComparer.Ordinal);

    public void Report(string terminalId, JsonObject status) => latest[terminalId] = (JsonObject)status.DeepClone();

    /// <summary>A copy of the last report of <paramref name="terminalId"/>, or null.</summary>
    public JsonObject? Get(string terminalId) => latest.TryGetValue(terminalId, out var status) ? (JsonObject)status.DeepClone() : null;
}
