using System.Globalization;
using System.Text.Json;
using Bms.Realtime.Client;

namespace Bms.Web.Components.Models;

/// <summary>
/// What the dashboard knows about one POS terminal: whether its real-time connection is up and its last
/// <c>sync:status</c> report. Immutable; <see cref="WithReport"/> returns an updated copy.
/// </summary>
public sealed record TerminalStatus
{
    /// <summary>Terminal id, e.g. <c>POS-001</c>.</summary>
    public required string TerminalId { get; init; }

    /// <summary>Display name, e.g. <c>Till 1</c>.</summary>
    public string? Name { get; init; }

    /// <summary>The terminal's store.</summary>
    public int? StoreId { get; init; }

    /// <summary>True while the terminal has a real-time connection to the server; null when unknown.</summary>
    public bool? IsConnected { get; init; }

    /// <summary>The sync state from the last report.</summary>
    public TerminalSyncState SyncState { get; init; }

    /// <summary>Sales waiting in the terminal's outbox.</summary>
    public int PendingTransactions { get; init; }

    /// <summary>Catalogue changes waiting to be applied on the terminal.</summary>
    public int PendingProducts { get; init; }

    /// <summary>When the terminal last completed a sync.</summary>
    public DateTimeOffset? LastSyncAt { get; init; }

    /// <summary>When the last report arrived.</summary>
    public DateTimeOffset? LastReportAt { get; init; }

    /// <summary>The last error the terminal reported, if any.</summary>
    public string? LastError { get; init; }

    /// <summary>Errors reported since the terminal started (most recent last), as far as the reports carry them.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>Round-trip latency the terminal reported, if any.</summary>
    public TimeSpan? Latency { get; init; }

    /// <summary>
    /// Healthy when connected and synced; Degraded with pending sales, a running sync or an unknown connection;
    /// Unhealthy when disconnected, offline or failing.
    /// </summary>
    public ConnectionHealth Health => (IsConnected, SyncState) switch
    {
        (false, _) => ConnectionHealth.Unhealthy,
        (_, TerminalSyncState.Offline or TerminalSyncState.Error) => ConnectionHealth.Unhealthy,
        (true, TerminalSyncState.Synced) => ConnectionHealth.Healthy,
        _ => ConnectionHealth.Degraded,
    };

    /// <summary>
    /// Applies a <c>sync:status</c> report. The POS reports are read leniently: <c>isOnline</c>/<c>online</c>,
    /// <c>isSyncing</c>, <c>pendingTransactions</c>/<c>pendingCount</c>/<c>pending</c>, <c>pendingProducts</c>,
    /// <c>lastSync</c>/<c>lastSyncAt</c>, <c>lastError</c>/<c>error</c>, <c>syncErrors</c>/<c>errors</c>, <c>state</c>/<c>status</c>/<c>syncState</c>, <c>latencyMs</c>, <c>reportedAt</c>.
    /// </summary>
    public TerminalStatus WithReport(JsonElement data, DateTimeOffset receivedAt)
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            return this;
        }

        var online = Bool(data, "isOnline", "online", "connected");
        var pending = Int(data, "pendingTransactions", "pendingCount", "pending", "outboxCount") ?? PendingTransactions;
        var error = String(data, "lastError", "error");
        var errors = Errors;
        if (Find(data, ["syncErrors", "errors"]) is { ValueKind: JsonValueKind.Array } list)
        {
            errors = [.. list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.ToString())];
            error ??= errors.Count > 0 ? errors[0] : null;
        }
        else if (!string.IsNullOrEmpty(error) && (errors.Count == 0 || errors[^1] != error))
        {
            errors = [.. errors.TakeLast(9), error];
        }

        var syncing = Bool(data, "isSyncing", "syncing");
        var state = ParseState(String(data, "state", "status", "syncState")) ?? (online, pending, error) switch
        {
            (false, _, _) => TerminalSyncState.Offline,
            _ when syncing == true => TerminalSyncState.Syncing,
            (_, _, { Length: > 0 }) => TerminalSyncState.Error,
            (_, > 0, _) => TerminalSyncState.Pending,
            _ => TerminalSyncState.Synced,
        };
        var latencyMs = Int(data, "latencyMs", "latency");
        return this with
        {
            StoreId = Int(data, "storeId") ?? StoreId,
            IsConnected = online == false ? IsConnected : IsConnected ?? true,
            SyncState = state,
            PendingTransactions = pending,
            PendingProducts = Int(data, "pendingProducts") ?? PendingProducts,
            LastSyncAt = Date(data, "lastSyncAt", "lastSync", "lastSyncedAt") ?? LastSyncAt,
            LastReportAt = Date(data, "reportedAt") ?? receivedAt,
            LastError = string.IsNullOrEmpty(error) ? (state == TerminalSyncState.Error ? LastError : null) : error,
            Errors = errors,
            Latency = latencyMs is { } ms ? TimeSpan.FromMilliseconds(ms) : Latency,
        };
    }

    private static TerminalSyncState? ParseState(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "synced" or "idle" or "ok" or "online" => TerminalSyncState.Synced,
        "syncing" or "running" => TerminalSyncState.Syncing,
        "pending" => TerminalSyncState.Pending,
        "offline" => TerminalSyncState.Offline,
        "error" or "failed" => TerminalSyncState.Error,
        _ => null,
    };

    private static JsonElement? Find(JsonElement data, string[] names)
    {
        foreach (var name in names)
        {
            if (data.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                return value;
            }
        }

        return null;
    }

    private static bool? Bool(JsonElement data, params string[] names) => Find(data, names) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => null,
    };

    private static int? Int(JsonElement data, params string[] names) => Find(data, names) switch
    {
        { ValueKind: JsonValueKind.Number } n when n.TryGetInt32(out var i) => i,
        { ValueKind: JsonValueKind.Number } n => (int)n.GetDouble(),
        { ValueKind: JsonValueKind.String } s when int.TryParse(s.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => i,
        _ => null,
    };

    private static string? String(JsonElement data, params string[] names) => Find(data, names) switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Object } o when o.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String => m.GetString(),
        _ => null,
    };

    private static DateTimeOffset? Date(JsonElement data, params string[] names) => Find(data, names) switch
    {
        { ValueKind: JsonValueKind.String } s when DateTimeOffset.TryParse(s.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) => d,
        { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms),
        _ => null,
    };
}
