using Bms.Pos;
using Bms.Pos.Sync;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the POS terminal's services in a service collection.</summary>
public static class PosServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="PosApiClient"/>'s <see cref="HttpClient"/> in <c>IHttpClientFactory</c>.</summary>
    public const string HttpClientName = "Bms.Pos.Api";

    /// <summary>
    /// Registers <see cref="PosOptions"/> (validated at start by <see cref="PosOptionsValidator"/>), a
    /// <see cref="PosApiClient"/> on an <c>IHttpClientFactory</c> client (base address <see cref="PosOptions.ServerUrl"/>,
    /// timeout <see cref="PosOptions.RequestTimeout"/>) and a singleton <see cref="PosWebSocketService"/>.
    /// </summary>
    /// <remarks>
    /// The client's resilience handler retries transient failures (connection errors, 408, 429, 5xx) of GET requests
    /// only, at most twice: <c>POST /api/pos/sync</c> is retried by the outbox on its own schedule
    /// (<see cref="PosOptions.RetryDelay"/> doubling up to <see cref="PosOptions.RetryDelayMax"/>, under the sync lease),
    /// and <c>POST /api/auth/terminal</c> by the caller, so a handler retry of a POST would only multiply the
    /// outbox's attempts. <see cref="PosOptions.RequestTimeout"/> bounds a call including its retries.
    /// </remarks>
    /// <example>
    /// <code>
    /// services.AddLogging().AddBmsPos(o => { o.ServerUrl = new Uri("http://127.0.0.1:3001"); o.TerminalId = "POS-001"; });
    /// await using var provider = services.BuildServiceProvider();
    /// provider.GetRequiredService&lt;IStartupValidator&gt;().Validate();   // a host does this at start
    /// var pos = provider.GetRequiredService&lt;PosWebSocketService&gt;();
    /// </code>
    /// </example>
    public static OptionsBuilder<PosOptions> AddBmsPos(this IServiceCollection services, Action<PosOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = services.AddOptions<PosOptions>().Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PosOptions>, PosOptionsValidator>());
        builder.ValidateOnStart();

        services.AddHttpClient(HttpClientName, (provider, http) =>
            {
                var options = provider.GetRequiredService<IOptions<PosOptions>>().Value;
                http.BaseAddress = options.ServerUrl;
                http.Timeout = options.RequestTimeout;
            })
            // The service holds its client for its lifetime: connections are recycled by the handler instead.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddTypedClient((http, _) => new PosApiClient(http))
            .AddResilienceHandler("pos-api", pipeline => pipeline.AddRetry(PosRetry()));

        services.TryAddSingleton(provider => PosWebSocketService.Create(
            provider.GetRequiredService<IOptions<PosOptions>>().Value,
            provider.GetRequiredService<PosApiClient>(),
            provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            provider.GetService<TimeProvider>() ?? TimeProvider.System));
        return builder;
    }

    private static HttpRetryStrategyOptions PosRetry()
    {
        var retry = new HttpRetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.FromMilliseconds(500) };
        retry.DisableForUnsafeHttpMethods();
        return retry;
    }
}
