using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bms.Pos.Storage;
using Bms.Pos.Tests.Infrastructure;
using Bms.Realtime.Client;

namespace Bms.Pos.Tests;

/// <summary><see cref="PosWebSocketService"/> against the real backend: rooms, cache updates, notifications, status reports.</summary>
public sealed class PosWebSocketServiceTests
{
    [Fact]
    public async Task ServerEventsUpdateTheCacheAndNotificationsAndAdminsSeeTheTerminalsSyncStatus()
    {
        await using var bed = PosTestBed.Create();
        await bed.Server.StartServerAsync();
        using var http = new HttpClient { BaseAddress = bed.Server.Url, Timeout = TestTimeouts.Short };
        var adminToken = await LoginAsync(http, "admin", "admin123!");

        await using var admin = WebSocketClientFactory.Create(new WebSocketClientOptions
        {
            Url = bed.Server.Url,
            AccessTokenProvider = _ => ValueTask.FromResult<string?>(adminToken),
        });
        var adminSocket = admin.Of("/admin");
        var reports = new List<JsonElement>();
        var reported = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = adminSocket.On<JsonElement>("sync:status", e =>
        {
            lock (reports)
            {
                reports.Add(e);
            }

            if (e.GetProperty("data").TryGetProperty("pendingTransactions", out _) && e.GetProperty("data").GetProperty("pendingTransactions").GetInt32() == 0
                && e.GetProperty("data").TryGetProperty("lastSync", out var last) && last.ValueKind == JsonValueKind.String)
            {
                reported.TrySetResult(e);
            }
        });
        await adminSocket.ConnectAsync().WaitAsync(TestTimeouts.Short);

        await using var pos = PosWebSocketService.Create(new PosOptions
        {
            ServerUrl = bed.Server.Url,
            TerminalId = PosTestBed.TerminalId,
            Secret = PosTestBed.Secret,
            DataPath = bed.DataPath,
            SyncInterval = TimeSpan.FromSeconds(2),
        });
        var online = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pos.SyncStatusChanged += (_, s) =>
        {
            if (s.IsOnline)
            {
                online.TrySetResult();
            }
        };
        Assert.True(await pos.StartAsync().WaitAsync(TestTimeouts.Short));
        await online.Task.WaitAsync(TestTimeouts.Short);
        await Eventually.TrueAsync(() => pos.Socket.Rooms.Contains("store:1") && pos.Socket.Rooms.Contains("terminal:POS-001"));

        // A sale rung up on the till is pushed by the sync loop and reported to admins.
        var sale = await pos.RecordSaleAsync([new SaleRequestLine(1, 2)]).WaitAsync(TestTimeouts.Short);
        Assert.StartsWith("POS-001-", sale.ReceiptNumber, StringComparison.Ordinal);
        var report = await reported.Task.WaitAsync(TestTimeouts.Short);
        Assert.Equal("POS-001", report.GetProperty("data").GetProperty("terminalId").GetString());

        // The first clean report may be the one sent on connect, before the sale: wait for the sale to land.
        await Eventually.TrueAsync(async () => (await bed.Server.TransactionsOfAsync(PosTestBed.TerminalId)).Count > 0);
        Assert.Single(await bed.Server.TransactionsOfAsync(PosTestBed.TerminalId));

        // A stock change made elsewhere reaches the cache through inventory:updated; crossing the threshold raises a low-stock notification.
        var lowStock = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var system = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pos.NotificationReceived += (_, n) =>
        {
            if (n.Type == "low-stock:alert")
            {
                lowStock.TrySetResult();
            }
            else if (n.Type == "system:notification")
            {
                system.TrySetResult();
            }
        };
        // The delta comes from the server's own count: the cache may briefly lag it between the sync answer and the event.
        var before = await ServerQuantityAsync(http, adminToken, productId: 1);
        await SendAsync(http, adminToken, HttpMethod.Post, "/api/inventory/adjust", new { productId = 1, delta = -(before - 3), reason = "stock count" });
        await Eventually.TrueAsync(async () => (await pos.Store.FindProductAsync("COF-001"))!.Quantity == 3);
        await lowStock.Task.WaitAsync(TestTimeouts.Short);

        await SendAsync(http, adminToken, HttpMethod.Post, "/api/notifications", new { title = "Closing early", message = "Store closes at 18:00", severity = "warning" });
        await system.Task.WaitAsync(TestTimeouts.Short);
        var unread = await pos.GetNotificationsAsync(unreadOnly: true).WaitAsync(TestTimeouts.Short);
        Assert.Contains(unread, n => n.Title == "Closing early" && n.Severity == "warning");
        Assert.Equal(unread.Count, await pos.MarkAllNotificationsReadAsync().WaitAsync(TestTimeouts.Short));
        Assert.Empty(await pos.GetNotificationsAsync(unreadOnly: true).WaitAsync(TestTimeouts.Short));

        var snapshot = await pos.GetMonitoringSnapshotAsync().WaitAsync(TestTimeouts.Short);
        Assert.True(snapshot.IsOnline);
        Assert.Equal(ConnectionState.Connected, snapshot.WebsocketState);
        Assert.Equal(0, snapshot.PendingTransactions);
        Assert.NotNull(snapshot.LastSyncTime);

        var manual = await pos.TriggerSyncWithNotificationAsync().WaitAsync(TestTimeouts.Short);
        Assert.True(manual.Succeeded, manual.Error);
        Assert.Contains(await pos.GetNotificationsAsync(unreadOnly: true).WaitAsync(TestTimeouts.Short), n => n.Type == "sync" && n.Title == "Sync complete");
    }

    [Fact]
    public async Task StatusGoesOfflineWhenTheServerStopsAndSalesWaitUntilItIsBack()
    {
        await using var bed = PosTestBed.Create();
        await bed.Server.StartServerAsync();
        await using var pos = PosWebSocketService.Create(new PosOptions
        {
            ServerUrl = bed.Server.Url,
            TerminalId = PosTestBed.TerminalId,
            Secret = PosTestBed.Secret,
            DataPath = bed.DataPath,
            SyncInterval = TimeSpan.FromSeconds(1),
            RetryDelay = TimeSpan.FromMilliseconds(200),
            RetryDelayMax = TimeSpan.FromSeconds(1),
        });
        await pos.StartAsync().WaitAsync(TestTimeouts.Short);
        await Eventually.TrueAsync(() => pos.Status.IsOnline);

        await bed.Server.StopServerAsync();
        await Eventually.TrueAsync(() => !pos.Status.IsOnline);
        await pos.RecordSaleAsync([new SaleRequestLine(4, 1)]).WaitAsync(TestTimeouts.Short);
        await pos.RecordSaleAsync([new SaleRequestLine(5, 3)]).WaitAsync(TestTimeouts.Short);
        await Eventually.TrueAsync(() => pos.Status.PendingTransactions == 2 && pos.Status.PendingProducts == 2);
        await Eventually.TrueAsync(() => pos.Status.SyncErrors.Count > 0);

        await bed.Server.StartServerAsync();
        await Eventually.TrueAsync(() => pos.Status is { IsOnline: true, PendingTransactions: 0, PendingProducts: 0, SyncErrors.Count: 0 });
        Assert.Equal(2, (await bed.Server.TransactionsOfAsync(PosTestBed.TerminalId)).Count);
    }

    private static async Task<string> LoginAsync(HttpClient http, string username, string password)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/login", new { username, password }).WaitAsync(TestTimeouts.Short);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(TestTimeouts.Short)).GetProperty("accessToken").GetString()!;
    }

    private static async Task SendAsync(HttpClient http, string token, HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request).WaitAsync(TestTimeouts.Short);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<int> ServerQuantityAsync(HttpClient http, string token, int productId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/products/{productId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request).WaitAsync(TestTimeouts.Short);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(TestTimeouts.Short)).GetProperty("quantity").GetInt32();
    }
}
