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
    /// Registers a singleton <see cref="WebSocketClient"/> and its <see cref="WebSocketClientOptions"/>, configured by
    /// <paramref name="configure"/>. The options are validated at start by <see cref="WebSocketClientOptionsValidator"/>:
    /// a missing or bad <see cref="WebSocketClientOptions.Url"/> fails the host's start with the rule's message.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.Services.AddWebSocketClient(o =>
    /// {
    ///     o.Url = new Uri("https://realtime.example");
    ///     o.AccessTokenProvider = ct => tokens.GetAsync(ct);
    /// });
    /// var client = app.Services.GetRequiredService&lt;WebSocketClient&gt;();
    /// </code>
    /// </example>
    public static OptionsBuilder<WebSocketClientOptions> AddWebSocketClient(this IServiceCollection services, Action<WebSocketClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<WebSocketClientOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebSocketClientOptions>, WebSocketClientOptionsValidator>());
        builder.ValidateOnStart();
        services.TryAddSingleton(provider => new WebSocketClient(
            provider.GetRequiredService<IOptions<WebSocketClientOptions>>().Value,
            provider.GetService<ILoggerFactory>(),
            provider.GetService<TimeProvider>()));
        return builder;
    }

    /// <summary>
    /// As <see cref="AddWebSocketClient(IServiceCollection, Action{WebSocketClientOptions}?)"/>, with the options first
    /// bound from <paramref name="configuration"/> (any <see cref="WebSocketClientOptions"/> property, e.g. <c>Url</c>,
    /// <c>ReconnectionDelay</c>); <paramref name="configure"/> runs after the binding.
    /// </summary>
    public static OptionsBuilder<WebSocketClientOptions> AddWebSocketClient(
        this IServiceCollection services, IConfiguration configuration, Action<WebSocketClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<WebSocketClientOptions>().Bind(configuration);
        return services.AddWebSocketClient(configure);
    }
}
