using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bms.Server.Realtime;

/// <summary>
/// The latest <c>sync:status</c> report of each terminal and when this node received it, kept in memory on this node
/// (terminals re-send their report periodically and on every change, so nothing needs persisting). Read by
/// <c>GET /api/terminals</c> and by the dashboard's POS panel, so a page opened later still shows every terminal's
/// state. Reports are stored as immutable <see cref="JsonElement"/>s: readers share them without copying. Thread-safe
/// singleton.
/// </summary>
internal sealed class TerminalStatusBoard(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> latest = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="status"/> (copied) as the last report of <paramref name="terminalId"/>.</summary>
    public void Report(string terminalId, JsonObject status) =>
        latest[terminalId] = new Entry(JsonSerializer.SerializeToElement(status), time.GetUtcNow());

    /// <summary>A mutable copy of the last report of <paramref name="terminalId"/>, or null.</summary>
    public JsonObject? Get(string terminalId) =>
        latest.TryGetValue(terminalId, out var report) ? JsonNode.Parse(report.Data.GetRawText()) as JsonObject : null;

    /// <summary>The last report of <paramref name="terminalId"/> and when it arrived, if any.</summary>
    public bool TryGet(string terminalId, out JsonElement data, out DateTimeOffset receivedAt)
    {
        if (latest.TryGetValue(terminalId, out var report))
        {
            (data, receivedAt) = (report.Data, report.ReceivedAt);
            return true;
        }

        (data, receivedAt) = (default, default);
        return false;
    }

    private readonly record struct Entry(JsonElement Data, DateTimeOffset ReceivedAt);
}
