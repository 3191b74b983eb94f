using System.Security.Claims;
using Bms.Realtime.Server.Namespaces;
using Bms.Server.Data;
using Bms.Server.Domain;
using Bms.Server.Realtime;
using Bms.Web.Components.Models;
using Bms.Web.Components.Services;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Web;

/// <summary>
/// The backend's <see cref="IPosTerminalDirectory"/>: terminals from the database (the user's stores; admins see all),
/// connected when a socket of theirs is on <c>/pos</c>, with their last <c>sync:status</c> report. A manual sync emits
/// <c>sync:request</c> <c>{id, type, timestamp, data: {terminalId, requestedBy}}</c> to room <c>terminal:{id}</c> on
/// <c>/pos</c>. Created per request by the dashboard API.
/// </summary>
internal sealed class PosTerminalDirectory(
    IServiceScopeFactory scopes,
    RealtimeServer io,
    TerminalStatusBoard reports,
    AuthenticationStateProvider authentication,
    TimeProvider time) : IPosTerminalDirectory
{
    /// <summary>The event a terminal receives when someone asks it to sync now.</summary>
    public const string SyncRequestEvent = RealtimeEventNames.SyncRequest;

    public async Task<IReadOnlyList<TerminalStatus>> GetTerminalsAsync(CancellationToken cancellationToken = default)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var terminals = await LoadTerminalsAsync(user, cancellationToken);
        var connected = await ConnectedTerminalIdsAsync(cancellationToken);
        var result = new List<TerminalStatus>(terminals.Count);
        foreach (var terminal in terminals)
        {
            var status = new TerminalStatus
            {
                TerminalId = terminal.Id,
                Name = terminal.Name,
                StoreId = terminal.StoreId,
                IsConnected = connected.Contains(terminal.Id),
                LastReportAt = null,
            };
            if (reports.TryGet(terminal.Id, out var data, out var receivedAt))
            {
                status = status.WithReport(data, receivedAt) with { IsConnected = connected.Contains(terminal.Id) };
            }

            result.Add(status);
        }

        return result;
    }

    public async Task<int> RequestSyncAsync(string? terminalId, CancellationToken cancellationToken = default)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var allowed = (await LoadTerminalsAsync(user, cancellationToken)).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var connected = await ConnectedTerminalIdsAsync(cancellationToken);
        var targets = connected.Where(allowed.Contains).Where(id => terminalId is null || id == terminalId).ToList();
        foreach (var id in targets)
        {
            var envelope = new
            {
                id = Guid.CreateVersion7().ToString(),
                type = SyncRequestEvent,
                timestamp = time.GetUtcNow().UtcDateTime,
                data = new { terminalId = id, requestedBy = user.Identity?.Name },
            };
            await io.Of(RealtimeNamespaces.Pos).To(Rooms.Terminal(id)).EmitAsync(SyncRequestEvent, envelope);
        }

        return targets.Count;
    }

    private async Task<List<Terminal>> LoadTerminalsAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BmsDbContext>();
        var query = db.Terminals.AsNoTracking().Where(t => t.IsActive);
        if (!user.IsInRole(Roles.Admin))
        {
            var stores = DashboardAuth.StoreIds(user);
            query = query.Where(t => stores.Contains(t.StoreId));
        }

        return await query.OrderBy(t => t.Id).ToListAsync(cancellationToken);
    }

    private async Task<HashSet<string>> ConnectedTerminalIdsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Bms.Realtime.Server.Adapters.SocketDescriptor> sockets;
        try
        {
            sockets = await io.Of(RealtimeNamespaces.Pos).FetchSocketsAsync(cancellationToken);
        }
        catch (Bms.Realtime.Server.Redis.RedisUnavailableException)
        {
            // Redis down or hung: the other nodes cannot be asked; show what this node knows.
            sockets = await io.Of(RealtimeNamespaces.Pos).Local.FetchSocketsAsync(cancellationToken);
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var socket in sockets)
        {
            if (ConnectedUser.From(socket) is { Kind: "terminal" } who)
            {
                ids.Add(who.Id);
            }
        }

        return ids;
    }
}
