using System.Collections.Concurrent;
using System.Text.Json;
using Bms.Server.Events;

namespace Bms.Server.Web;

/// <summary>
/// Remembers the last <c>sync:status</c> report of every terminal (a domain event sink beside the real-time one), so a
/// dashboard opened later still shows each terminal's sync state. Singleton; thread-safe; in memory only.
/// </summary>
internal sealed class TerminalReportRegistry(TimeProvider time) : IDomainEventSink
{
    private readonly ConcurrentDictionary<string, (JsonElement Data, DateTimeOffset ReceivedAt)> reports = new(StringComparer.Ordinal);

    public ValueTask PublishAsync(DomainEvent domainEvent, CancellationToken cancellationToken = default)
    {
        if (domainEvent.Envelope.Type == EventTypes.SyncStatus)
        {
            var data = JsonSerializer.SerializeToElement(domainEvent.Envelope.Data, JsonSerializerOptions.Web);
            if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("terminalId", out var id) && id.GetString() is { Length: > 0 } terminalId)
            {
                reports[terminalId] = (data, time.GetUtcNow());
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The last report of <paramref name="terminalId"/>, if any.</summary>
    public bool TryGet(string terminalId, out JsonElement data, out DateTimeOffset receivedAt)
    {
        if (reports.TryGetValue(terminalId, out var entry))
        {
            (data, receivedAt) = entry;
            return true;
        }

        (data, receivedAt) = (default, default);
        return false;
    }

    /// <summary>The ids of every terminal that has reported.</summary>
    public IReadOnlyCollection<string> TerminalIds => [.. reports.Keys];
}
