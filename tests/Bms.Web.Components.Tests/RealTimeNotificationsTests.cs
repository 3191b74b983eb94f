using Bms.Contracts;
using Bms.Web.Components.Models;
using Bms.Web.Components.Services;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace Bms.Web.Components.Tests;

public sealed class RealTimeNotificationsTests : ComponentTestContext
{
    private object Notification(string id, string title, string severity, int minutesAgo = 0) => new
    {
        id = "evt-" + id,
        type = RealtimeEventNames.SystemNotification,
        timestamp = Clock.GetUtcNow().AddMinutes(-minutesAgo),
        data = new { id = Guid.Parse(id), title, message = title + " message", severity, createdAt = Clock.GetUtcNow().AddMinutes(-minutesAgo) },
    };

    [Fact]
    public void StartsEmptyWithAnUnreadCountOfZero()
    {
        var cut = Render<RealTimeNotifications>();

        Assert.Equal("0", cut.Find("[data-testid=unread-count]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=notifications-empty]"));
        Assert.True(cut.Find("[data-testid=mark-all-read]").HasAttribute("disabled"));
        Assert.True(cut.Find("[data-testid=clear-all]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task LiveNotificationsArriveUnreadAndNewestFirstAfterTheReadHistory()
    {
        Api.Notifications = [new NotificationInfo { Id = Guid.NewGuid(), Title = "Old news", Message = "m", Severity = "info", CreatedAt = Clock.GetUtcNow().AddHours(-1) }];
        var cut = Render<RealTimeNotifications>();

        await Connection.PublishAsync(RealtimeEventNames.SystemNotification, Notification("00000000-0000-0000-0000-000000000001", "First", "info", minutesAgo: 2));
        await Connection.PublishAsync(RealtimeEventNames.SystemNotification, Notification("00000000-0000-0000-0000-000000000002", "Second", "critical"));

        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-testid=unread-count]").TextContent), Wait);
        var items = cut.FindAll("[data-testid=notification]");
        Assert.Equal(["Second", "First", "Old news"], items.Select(i => i.QuerySelector(".bms-notification-title")!.TextContent));
        Assert.Contains("tone-bad", items[0].ClassList);
        Assert.Contains("is-unread", items[0].ClassList);
        Assert.Contains("is-read", items[2].ClassList);
    }

    [Fact]
    public async Task JustNowAgesWithoutAnyOtherEvent()
    {
        var cut = Render<RealTimeNotifications>();
        await Connection.PublishAsync(RealtimeEventNames.SystemNotification, Notification("00000000-0000-0000-0000-000000000001", "Fresh", "info"));
        cut.WaitForAssertion(() => Assert.Equal("just now", cut.Find("[data-testid=notification] time").TextContent), Wait);

        Clock.Advance(TimeSpan.FromSeconds(30));

        cut.WaitForAssertion(() => Assert.Equal("30 s ago", cut.Find("[data-testid=notification] time").TextContent), Wait);
    }

    [Fact]
    public async Task MarkAsReadAndMarkAllAsReadLowerTheUnreadCount()
    {
        var cut = Render<RealTimeNotifications>();
        await Connection.PublishAsync(RealtimeEventNames.SystemNotification, Notification("00000000-0000-0000-0000-000000000001", "A", "info"));
        await Connection.PublishAsync(RealtimeEventNames.SystemNotification, Notification("00000000-0000-0000-0000-000000000002", "B", "warning"));
        await Connection.PublishAsync(RealtimeEventNames.SystemNotification, Notification("00000000-0000-0000-0000-000000000003", "C", "info"));
        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-testid=unread-count]").TextContent), Wait);

        cut.FindAll("[data-testid=mark-read]")[0].Click();
        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-testid=unread-count]").TextContent), Wait);

        cut.Find("[data-testid=mark-all-read]").Click();
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[data-testid=unread-count]").TextContent), Wait);
        Assert.Empty(cut.FindAll("[data-testid=mark-read]"));
        Assert.Equal(3, cut.FindAll("[data-testid=notification]").Count);
    }

    [Fact]
    public async Task ClearAllRemovesEveryNotification()
    {
        var cut = Render<RealTimeNotifications>();
        await Connection.PublishAsync(RealtimeEventNames.SystemNotification, Notification("00000000-0000-0000-0000-000000000001", "A", "info"));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=notification]")), Wait);

        cut.Find("[data-testid=clear-all]").Click();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=notifications-empty]")), Wait);
        Assert.Equal("0", cut.Find("[data-testid=unread-count]").TextContent);
    }

    [Fact]
    public async Task LowStockAlertsBecomeWarningNotifications()
    {
        var cut = Render<RealTimeNotifications>();

        await Connection.PublishAsync(RealtimeEventNames.LowStockAlert, new
        {
            id = "evt-low",
            type = RealtimeEventNames.LowStockAlert,
            timestamp = Clock.GetUtcNow(),
            data = new { productId = 3, storeId = 1, sku = "SKU-003", name = "Oat milk", quantity = 2, lowStockThreshold = 5 },
        });

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=unread-count]").TextContent), Wait);
        var item = cut.Find("[data-testid=notification]");
        Assert.Contains("Low stock: Oat milk", item.TextContent);
        Assert.Contains("tone-warn", item.ClassList);
    }

    [Fact]
    public async Task TheListSurvivesTheComponentBeingDisposedAndRenderedAgain()
    {
        var first = Render<RealTimeNotifications>();
        await Connection.PublishAsync(RealtimeEventNames.SystemNotification, Notification("00000000-0000-0000-0000-000000000001", "Kept", "info"));
        first.WaitForAssertion(() => Assert.Equal("1", first.Find("[data-testid=unread-count]").TextContent), Wait);

        // Navigating away disposes the component; the circuit-scoped center keeps the notifications.
        await DisposeComponentsAsync().WaitAsync(Wait);
        var second = Render<RealTimeNotifications>();

        Assert.Equal("1", second.Find("[data-testid=unread-count]").TextContent);
        Assert.Contains("Kept", second.Find("[data-testid=notification]").TextContent);
    }

    [Fact]
    public async Task TheSameNotificationDeliveredTwiceIsListedOnce()
    {
        var cut = Render<RealTimeNotifications>();
        var payload = Notification("00000000-0000-0000-0000-000000000009", "Once", "info");

        await Connection.PublishAsync(RealtimeEventNames.SystemNotification, payload);
        await Connection.PublishAsync(RealtimeEventNames.SystemNotification, payload);

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=notification]")), Wait);
        Assert.Equal(1, Services.GetRequiredService<NotificationCenter>().UnreadCount);
    }

    [Fact]
    public void MaxItemsLimitsTheListButNotTheUnreadCount()
    {
        var center = Services.GetRequiredService<NotificationCenter>();
        for (var i = 0; i < 5; i++)
        {
            center.Add(new DashboardNotification { Id = $"n{i}", Title = $"N{i}", Timestamp = Clock.GetUtcNow().AddSeconds(i) });
        }

        var cut = Render<RealTimeNotifications>(p => p.Add(c => c.MaxItems, 2).Add(c => c.Title, "Inbox"));

        Assert.Equal(2, cut.FindAll("[data-testid=notification]").Count);
        Assert.Equal("5", cut.Find("[data-testid=unread-count]").TextContent);
        Assert.StartsWith("Inbox", cut.Find("h2").TextContent.Trim());
    }
}
