using Microsoft.AspNetCore.Builder;

namespace Bms.Testing;

/// <summary>How a test's <see cref="BmsServerHost"/> differs from the defaults.</summary>
public sealed record BmsServerHostOptions
{
    /// <summary>Extra configuration keys (<c>Bms:RateLimits:…</c>), given as command-line settings.</summary>
    public IDictionary<string, string>? Settings { get; init; }

    /// <summary>The hosting environment (default <c>Development</c>).</summary>
    public string Environment { get; init; } = "Development";

    /// <summary>Runs on the builder after the product's own setup (more services, a <c>TimeProvider</c>).</summary>
    public Action<WebApplicationBuilder>? Configure { get; init; }

    /// <summary>Adds the web dashboard as <c>Program</c> does (pages, static web assets, the WebAssembly app).</summary>
    public bool Dashboard { get; init; }

    /// <summary>
    /// The content of a JSON settings file added to the configuration; <see cref="BmsServerHost.ReloadSettings"/>
    /// rewrites it while the server runs. Null: no such file.
    /// </summary>
    public string? SettingsJson { get; init; }

    /// <summary>A fixed loopback port (the URL is known before the first start); 0 binds a free one.</summary>
    public int Port { get; init; }

    /// <summary>The folder for the SQLite file; null: a new temporary folder, deleted on dispose.</summary>
    public string? Directory { get; init; }

    /// <summary>The real-time server's Engine.IO ping interval and timeout (a faster heartbeat); null keeps the defaults.</summary>
    public TimeSpan? PingInterval { get; init; }
}
