using System.Security.Claims;
using Bms.Pos.Tests.Infrastructure;
using Bms.Realtime.Server.Namespaces;
using Bms.Server.Realtime;
using Bms.Server.Web;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Bms.Pos.Tests;

/// <summary>
/// The dashboard's "Sync now" (<see cref="PosTerminalDirectory.RequestSyncAsync"/>, the service behind the POS panel's
/// button) reaches a connected terminal as <c>sync:request</c> on <c>/pos</c> and makes it sync at once, well before
/// its sync timer; it only targets terminals of the signed-in user's stores.
/// </summary>
public sealed class DashboardSyncRequestTests
{
    [Fact]
    public async Task SyncNowFromTheDashboardMakesTheConnectedTerminalSyncImmediately()
    {
        await using var bed = PosTestBed.Create();
        await bed.Server.StartServerAsync();
        await using var pos = PosWebSocketService.Create(new PosOptions
        {
            ServerUrl = bed.Server.Url,
            TerminalId = PosTestBed.TerminalId,
            Secret = PosTestBed.Secret,
            DataPath = bed.DataPath,
            SyncInterval = TimeSpan.FromMinutes(30), // the timer never fires during the test
        });
        Assert.True(await pos.StartAsync().WaitAsync(TestTimeouts.Short));
        await Eventually.TrueAsync(() => pos.Status is { IsOnline: true, IsSyncing: false, LastSync: not null }
            && pos.Socket.Rooms.Contains("terminal:POS-001"));
        var firstSync = pos.Status.LastSync!.Value;

        // A manager of another store sees no terminal of store 1 and cannot make it sync.
        var otherStore = Directory(bed, Principal("manager", storeId: 2));
        Assert.Equal(0, await otherStore.RequestSyncAsync(PosTestBed.TerminalId).WaitAsync(TestTimeouts.Short));

        // The store's manager asks POS-001 to sync now: one terminal targeted, and it syncs.
        var manager = Directory(bed, Principal("manager", storeId: 1));
        var terminals = await manager.GetTerminalsAsync().WaitAsync(TestTimeouts.Short);
        Assert.Contains(terminals, t => t.TerminalId == PosTestBed.TerminalId && t.IsConnected == true);
        Assert.Equal(1, await manager.RequestSyncAsync(PosTestBed.TerminalId).WaitAsync(TestTimeouts.Short));
        await Eventually.TrueAsync(() => pos.Status.LastSync > firstSync);
    }

    private static PosTerminalDirectory Directory(PosTestBed bed, ClaimsPrincipal user)
    {
        var services = bed.Server.Services;
        return new PosTerminalDirectory(
            services.GetRequiredService<IServiceScopeFactory>(),
            services.GetRequiredService<RealtimeServer>(),
            services.GetRequiredService<TerminalStatusBoard>(),
            new FixedAuthenticationState(user),
            TimeProvider.System);
    }

    private static ClaimsPrincipal Principal(string role, int storeId) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, role), new Claim(ClaimTypes.Role, role), new Claim(DashboardAuth.StoreClaim, storeId.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        "test", ClaimTypes.Name, ClaimTypes.Role));

    private sealed class FixedAuthenticationState(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
