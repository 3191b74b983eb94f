using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Client;

/// <summary>Creates independent <see cref="WebSocketClient"/> instances (each with its own engine connection).</summary>
public static class WebSocketClientFactory
{
    /// <summary>Creates a client; it connects on the first <c>ConnectAsync</c>.</summary>
    /// <param name="options">Options (copied).</param>
    /// <param name="loggerFactory">Optional logging.</param>
    /// <param name="timeProvider">Optional time source; <see cref="TimeProvider.System"/> by default.</param>
    public static WebSocketClient Create(WebSocketClientOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null) =>
        new(options, loggerFactory, timeProvider);

    /// <summary>Creates a client for <paramref name="url"/> with default options, adjusted by <paramref name="configure"/>.</summary>
    public static WebSocketClient Create(Uri url, Action<WebSocketClientOptions>? configure = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        var options = new WebSocketClientOptions { Url = url };
        configure?.Invoke(options);
        return new WebSocketClient(options, loggerFactory);
    }
}
