using Bms.Web.Components.Services;
using Bms.Web.Components.Tests.Fakes;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bms.Web.Components.Tests;

/// <summary>
/// A bUnit context with the dashboard services registered against fakes: a scripted connection, an in-memory API, a
/// terminal directory and a fake clock (timers and "ago" texts only move when a test advances it).
/// </summary>
public abstract class ComponentTestContext : BunitContext
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    protected ComponentTestContext(bool withDirectory = true)
    {
        Services.AddSingleton<IRealtimeConnection>(Connection);
        Services.AddSingleton<IBmsApi>(Api);
        Services.AddSingleton<TimeProvider>(Clock);
        if (withDirectory)
        {
            Services.AddSingleton<IPosTerminalDirectory>(Directory);
        }

        Services.AddScoped<LiveDataService>();
        Services.AddScoped(sp => new NotificationCenter(sp.GetRequiredService<IRealtimeConnection>(), sp.GetRequiredService<IBmsApi>()));
        Services.AddScoped<RoomLeases>();
        Services.AddScoped(sp => new PosTerminalMonitor(
            sp.GetRequiredService<IRealtimeConnection>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<IPosTerminalDirectory>()));
    }

    protected FakeRealtimeConnection Connection { get; } = new();

    protected FakeBmsApi Api { get; } = new();

    protected FakePosTerminalDirectory Directory { get; } = new();

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
}
