using System.Globalization;
using Bms.Web.Components.Models;
using Bunit;

namespace Bms.Web.Components.Tests;

public sealed class EventRateChartTests : ComponentTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void DrawsOneLinePerEventTypeWithItsTotalAndPeakPerSecond()
    {
        var window = new EventRateWindow();
        for (var i = 0; i < 3; i++)
        {
            window.Add("transaction:created", Now.AddSeconds(-2).AddMilliseconds(i * 100));
        }

        window.Add("transaction:created", Now.AddSeconds(-1));
        window.Add("inventory:updated", Now);

        var cut = Render<EventRateChart>(p => p.Add(c => c.Window, window).Add(c => c.Now, Now).Add(c => c.Height, 108));

        var lines = cut.FindAll("[data-testid=rate-series]").ToDictionary(e => e.GetAttribute("data-type")!);
        Assert.Equal(["inventory:updated", "transaction:created"], lines.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("4", lines["transaction:created"].GetAttribute("data-total"));
        Assert.Equal("3", lines["transaction:created"].GetAttribute("data-peak"));
        Assert.Equal("peak 3/s", cut.Find("[data-testid=rate-peak]").TextContent);

        // 300 points, oldest first; the peak second reaches the top line (y = 8), an empty second the axis (y = height).
        var points = lines["transaction:created"].GetAttribute("points")!.Split(' ')
            .Select(p => p.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal(300, points.Length);
        Assert.Equal(8, points[297][1]);
        Assert.Equal(108 - (100.0 / 3), points[298][1], precision: 2);
        Assert.Equal(108, points[299][1]);
        Assert.Equal(108, points[0][1]);
        Assert.Equal(600, points[299][0]);
        Assert.Contains("transaction:created 4 (peak 3/s)", cut.Find("[data-testid=rate-legend-item][data-type='transaction:created']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void CountsOlderThanFiveMinutesLeaveTheChart()
    {
        var window = new EventRateWindow();
        window.Add("low-stock:alert", Now.AddSeconds(-299));
        var cut = Render<EventRateChart>(p => p.Add(c => c.Window, window).Add(c => c.Now, Now));
        Assert.Single(cut.FindAll("[data-testid=rate-series]"));
        Assert.Empty(cut.FindAll("[data-testid=rate-empty]"));

        cut.Render(p => p.Add(c => c.Now, Now.AddSeconds(1)));

        Assert.Empty(cut.FindAll("[data-testid=rate-series]"));
        Assert.NotNull(cut.Find("[data-testid=rate-empty]"));
        Assert.Empty(window.Types);
    }
}
