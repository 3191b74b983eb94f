using Bms.Realtime.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="WebSocketClient"/> in a service collection.</summary>
public static class WebSocketClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="WebSocketClient"/> and its <see cref="WebSocketClientOptions"/>. The URL comes from
    /// configuration <c>Bms:WsUrl</c>, else <c>Bms:ApiUrl</c>, else the environment variables <c>BMS_WS_URL</c> /
    /// <c>BMS_API_URL</c>; other options bind from the section <c>Bms:Realtime</c>; <paramref name="configure"/> runs last.
    /// Options are validated at start.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.Services.AddWebSocketClient(o => o.AccessTokenProvider = ct => tokens.GetAsync(ct));
    /// var client = app.Services.GetRequiredService&lt;WebSocketClient&gt;();
    /// </code>
    /// </example>
    public static OptionsBuilder<WebSocketClientOptions> AddWebSocketClient(this IServiceCollection services, Action<WebSocketClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<WebSocketClientOptions>();
        builder.Configure<IServiceProvider>((options, provider) =>
        {
            var configuration = provider.GetService<IConfiguration>();
            var url = FirstNonEmpty(
                configuration?["Bms:WsUrl"],
                configuration?["Bms:ApiUrl"],
                configuration?["BMS_WS_URL"],
                configuration?["BMS_API_URL"],
                Environment.GetEnvironmentVariable("BMS_WS_URL"),
                Environment.GetEnvironmentVariable("BMS_API_URL"));
            if (url is not null && options.Url is null)
            {
                options.Url = new Uri(url);
            }

            configuration?.GetSection("Bms:Realtime").Bind(options);
        });
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.Validate(
            options =>
            {
                try
                {
                    options.Validate();
                    return true;
                }
                catch (ArgumentException)
                {
                    return false;
                }
            },
            "Invalid WebSocketClientOptions: Url (Bms:WsUrl / BMS_WS_URL) is required, with an http(s) or ws(s) scheme.");
        builder.ValidateOnStart();
        services.TryAddSingleton(provider => new WebSocketClient(
            provider.GetRequiredService<IOptions<WebSocketClientOptions>>().Value,
            provider.GetService<ILoggerFactory>(),
            provider.GetService<TimeProvider>()));
        return builder;
    }

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
