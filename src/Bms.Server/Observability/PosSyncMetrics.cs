using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Bms.Realtime.Server.Namespaces;
using Bms.Server.Cluster;
using Bms.Server.Data.Postgres;
using Bms.Server.Data;
using Bms.Server.Realtime;
using Bms.Server.RealtimeAuthorization;

namespace Bms.Server.Observability;

/// <summary>
/// POS sync health as terminals report it with <c>sync:status</c> on <c>/pos</c>
/// (<c>{pendingTransactions, pendingProducts, lastSync, isOnline, …}</c>), on meter <c>Bms.Pos.Sync</c>:
/// <c>bms.pos.sync.pending</c> (by terminal and kind) and <c>bms.pos.sync.lag</c> (seconds since the terminal's last
/// successful sync). Each node reports the terminals connected to it; a terminal leaves the series when it
/// disconnects. Thread-safe singleton.
/// </summary>
internal sealed class PosSyncMetrics
{
    public const string MeterName = "Bms.Pos.Sync";

    private readonly ConcurrentDictionary<string, Report> _reports = new(StringComparer.Ordinal);
    private readonly RealtimeServer _io;
    private readonly TerminalStatusBoard _board;
    private readonly TimeProvider _time;
    private readonly Counter<long> _reportsReceived;

    public PosSyncMetrics(IMeterFactory meterFactory, RealtimeServer io, TerminalStatusBoard board, TimeProvider time)
    {
        _io = io;
        _board = board;
        _time = time;
        var meter = meterFactory.Create(MeterName);
        _reportsReceived = meter.CreateCounter<long>("bms.pos.sync.reports", "{report}", "sync:status reports received from terminals");
        meter.CreateObservableGauge("bms.pos.sync.pending", ObservePending, "{item}", "Items waiting in a terminal's outbox, by terminal and kind");
        meter.CreateObservableGauge("bms.pos.sync.lag", ObserveLag, "s", "Seconds since a terminal's last successful sync");
    }

    /// <summary>Listens to <c>sync:status</c> on <c>/pos</c> (after the gateway's own handler).</summary>
    public void Attach() => _io.Of(RealtimeNamespaces.Pos).OnConnection(socket =>
    {
        socket.OnAny(e =>
        {
            if (e.Name == ClientEvents.SyncStatus)
            {
                Record(e);
            }

            return ValueTask.CompletedTask;
        });
        socket.OnDisconnect(reason => _reports.TryRemove(socket.Id, out var removed));
    });

    private void Record(SocketEvent e)
    {
        var (kind, id, _, roles) = SocketUser.Read(e.Socket);
        if (!EventAuthorizationTable.IsAllowed(e.Socket.Namespace.Name, e.Name, roles) || e.Args.Count == 0 || e.Args.GetRaw(0).ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var status = e.Args.GetRaw(0);
        var claimed = status.TryGetProperty("terminalId", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var terminal = kind == "terminal" ? id : _board.BoundTerminal(e.Socket);
        if (terminal is null || (kind != "terminal" && claimed != terminal))
        {
            // The terminal tag is never a string a client made up: a terminal's own id comes from its token, and a
            // cashier's report counts only for the terminal its socket is bound to (after the first accepted report).
            return;
        }

        DateTimeOffset? lastSync = status.TryGetProperty("lastSync", out var l) && l.ValueKind == JsonValueKind.String && l.TryGetDateTimeOffset(out var at) ? at : null;
        _reports[e.Socket.Id] = new Report(
            terminal,
            Int(status, "pendingTransactions"),
            Int(status, "pendingProducts"),
            lastSync);
        _reportsReceived.Add(1);
    }

    private IEnumerable<Measurement<long>> ObservePending()
    {
        foreach (var report in _reports.Values)
        {
            yield return new Measurement<long>(report.PendingTransactions, new("terminal", report.Terminal), new("kind", "transactions"));
            yield return new Measurement<long>(report.PendingProducts, new("terminal", report.Terminal), new("kind", "products"));
        }
    }

    private IEnumerable<Measurement<double>> ObserveLag()
    {
        var now = _time.GetUtcNow();
        foreach (var report in _reports.Values)
        {
            if (report.LastSync is { } last)
            {
                yield return new Measurement<double>(Math.Max(0, (now - last).TotalSeconds), new KeyValuePair<string, object?>("terminal", report.Terminal));
            }
        }
    }

    private static long Int(JsonElement status, string name) =>
        status.TryGetProperty(name, out var value) && value.TryGetInt64(out var n) ? n : 0;

    private sealed record Report(string Terminal, long PendingTransactions, long PendingProducts, DateTimeOffset? LastSync);
}
