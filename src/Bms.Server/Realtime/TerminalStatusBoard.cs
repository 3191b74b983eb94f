using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bms.Server.Auth;
using Bms.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Realtime;

/// <summary>
/// The latest <c>sync:status</c> report of each terminal and when this node received it, kept in memory on this node
/// (terminals re-send their report periodically and on every change, so nothing needs persisting). Read by
/// <c>GET /api/terminals</c> and by the dashboard's POS panel, so a page opened later still shows every terminal's
/// state. Reports are stored as immutable <see cref="JsonElement"/>s: readers share them without copying.
/// <para>
/// Who may report (<see cref="AuthorizeAsync"/>): a terminal for itself only; a cashier for one active terminal of
/// their stores, to which the first accepted report binds the cashier's socket for its lifetime. A terminal id that
/// does not exist (or is inactive, or in another store) is refused, so the board holds at most one entry per terminal
/// in the database. A report a terminal made itself is not replaced by a cashier's report for
/// <see cref="SelfReportPrecedence"/>. Thread-safe singleton.
/// </para>
/// </summary>
internal sealed class TerminalStatusBoard(TimeProvider time, IServiceScopeFactory scopes)
{
    /// <summary>How long a terminal's own report takes precedence over a cashier's report for it (2 minutes).</summary>
    public static readonly TimeSpan SelfReportPrecedence = TimeSpan.FromMinutes(2);

    /// <summary>How long a terminal found in the database is trusted without looking again (30 seconds).</summary>
    private static readonly TimeSpan KnownTerminalLifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> latest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, KnownTerminal> known = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<object, string> bindings = [];

    /// <summary>Number of terminals with a report on this node (diagnostics and tests).</summary>
    public int Count => latest.Count;

    /// <summary>
    /// Decides which terminal a <c>sync:status</c> report of <paramref name="principal"/> speaks for. A terminal speaks
    /// for itself (its token's id; the payload's <c>terminalId</c> is ignored); a cashier names the terminal (<c>invalid_payload</c>
    /// without one) and stays bound to it through <paramref name="binding"/> (naming another afterwards is
    /// <c>forbidden</c>). Unknown, inactive and other stores' terminals are <c>unknown_terminal</c>.
    /// </summary>
    /// <param name="principal">The reporting socket's principal.</param>
    /// <param name="claimedTerminalId">The payload's <c>terminalId</c>, if any.</param>
    /// <param name="binding">An object living as long as the reporting socket (the socket itself).</param>
    /// <param name="cancellationToken">Cancels the database lookup.</param>
    public async ValueTask<ReportCheck> AuthorizeAsync(
        BmsPrincipal principal, string? claimedTerminalId, object binding, CancellationToken cancellationToken = default)
    {
        string terminalId;
        if (principal.IsTerminal)
        {
            // A terminal's token names it: whatever the payload says, it reports for itself.
            terminalId = principal.Id;
        }
        else
        {
            if (string.IsNullOrEmpty(claimedTerminalId))
            {
                return ReportCheck.Refused("invalid_payload");
            }

            if (bindings.TryGetValue(binding, out var bound) && !string.Equals(bound, claimedTerminalId, StringComparison.Ordinal))
            {
                return ReportCheck.Refused("forbidden");
            }

            terminalId = claimedTerminalId;
        }

        if (await FindActiveAsync(terminalId, cancellationToken) is not { } storeId || !principal.CanAccessStore(storeId))
        {
            return ReportCheck.Refused("unknown_terminal");
        }

        if (!principal.IsTerminal)
        {
            bindings.TryAdd(binding, terminalId);
        }

        return new ReportCheck(terminalId, storeId, null);
    }

    /// <summary>
    /// Records <paramref name="status"/> (copied) as the last report of <paramref name="terminalId"/>, which
    /// <see cref="AuthorizeAsync"/> accepted. Returns false when a cashier's report was not stored because the
    /// terminal's own report is younger than <see cref="SelfReportPrecedence"/>.
    /// </summary>
    public bool Report(string terminalId, JsonObject status, bool bySelf)
    {
        var now = time.GetUtcNow();
        var entry = new Entry(JsonSerializer.SerializeToElement(status), now, bySelf);
        while (true)
        {
            if (!latest.TryGetValue(terminalId, out var current))
            {
                if (latest.TryAdd(terminalId, entry))
                {
                    return true;
                }

                continue;
            }

            if (!bySelf && current.BySelf && now - current.ReceivedAt < SelfReportPrecedence)
            {
                return false;
            }

            if (latest.TryUpdate(terminalId, entry, current))
            {
                return true;
            }
        }
    }

    /// <summary>
    /// The terminal a cashier's socket (<paramref name="binding"/>) is bound to by an accepted report, or null (so a
    /// metric may use it as a tag: never an id a client made up).
    /// </summary>
    public string? BoundTerminal(object binding) => bindings.TryGetValue(binding, out var terminalId) ? terminalId : null;

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

    /// <summary>The store of an active terminal, or null when there is no such terminal.</summary>
    private async ValueTask<int?> FindActiveAsync(string terminalId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (known.TryGetValue(terminalId, out var cached) && now - cached.CheckedAt < KnownTerminalLifetime)
        {
            return cached.StoreId;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BmsDbContext>();
        var row = await db.Terminals.AsNoTracking()
            .Where(t => t.Id == terminalId && t.IsActive)
            .Select(t => new { t.StoreId })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            // Only terminals that exist are remembered, so unknown ids leave nothing behind.
            known.TryRemove(terminalId, out _);
            latest.TryRemove(terminalId, out _);
            return null;
        }

        known[terminalId] = new KnownTerminal(row.StoreId, now);
        return row.StoreId;
    }

    /// <summary>The outcome of <see cref="AuthorizeAsync"/>: the terminal and its store, or an error code.</summary>
    public readonly record struct ReportCheck(string? TerminalId, int StoreId, string? Error)
    {
        public static ReportCheck Refused(string error) => new(null, 0, error);
    }

    private readonly record struct Entry(JsonElement Data, DateTimeOffset ReceivedAt, bool BySelf);

    private readonly record struct KnownTerminal(int StoreId, DateTimeOffset CheckedAt);
}
