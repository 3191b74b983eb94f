using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Bms.Realtime.Server.Redis;

/// <summary>
/// The node's one Redis connection (a multiplexer: one socket for commands, one for subscriptions), shared by the
/// adapters of every namespace. Connects in the background and reconnects by itself; <see cref="IsConnected"/>,
/// <see cref="LastError"/> and the <c>bms.realtime.adapter.connected</c> gauge report its state (health checks read
/// them). Thread-safe.
/// </summary>
public sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly RedisAdapterOptions _options;
    private readonly ILogger<RedisConnection> _logger;
    private readonly TimeProvider _time;
    private readonly Lazy<Task<ConnectionMultiplexer>> _multiplexer;
    private volatile string? _lastError;
    private long _lastErrorAtTicks;

    /// <summary>Creates the connection (it is opened on first use).</summary>
    public RedisConnection(IOptions<RedisAdapterOptions> options, ILogger<RedisConnection> logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _multiplexer = new Lazy<Task<ConnectionMultiplexer>>(ConnectAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>True while the connection to Redis is up.</summary>
    public bool IsConnected => _multiplexer.IsValueCreated && _multiplexer.Value.IsCompletedSuccessfully && _multiplexer.Value.Result.IsConnected;

    /// <summary>The last connection or command failure (null when none happened yet).</summary>
    public string? LastError => _lastError;

    /// <summary>When <see cref="LastError"/> happened.</summary>
    public DateTimeOffset? LastErrorAt => Interlocked.Read(ref _lastErrorAtTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>The endpoint configuration in use (without secrets), for logs and health reports.</summary>
    public string Endpoint => ConfigurationOptions.Parse(_options.Configuration).ToString(includePassword: false);

    /// <summary>Raised when the connection comes back after a failure.</summary>
    public event Action? Restored;

    /// <summary>Returns the multiplexer, connecting on first use (it may be disconnected; check <see cref="IsConnected"/>).</summary>
    public Task<ConnectionMultiplexer> GetAsync() => _multiplexer.Value;

    /// <summary>Returns the multiplexer when the first connection attempt has finished (without waiting for it).</summary>
    public bool TryGet([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ConnectionMultiplexer? multiplexer)
    {
        var task = _multiplexer.Value;
        multiplexer = task.IsCompletedSuccessfully ? task.Result : null;
        return multiplexer is not null;
    }

    /// <summary>Sends PING; throws when Redis does not answer.</summary>
    public async Task<TimeSpan> PingAsync()
    {
        var multiplexer = await GetAsync().ConfigureAwait(false);
        return await multiplexer.GetDatabase().PingAsync().ConfigureAwait(false);
    }

    internal void ReportError(string operation, Exception exception)
    {
        _lastError = $"{operation}: {exception.Message}";
        var now = _time.GetUtcNow().UtcTicks;
        var previous = Interlocked.Exchange(ref _lastErrorAtTicks, now);

        // During an outage every broadcast fails; one warning per 5 s is enough (the error counter has them all).
        if (now - previous > TimeSpan.TicksPerSecond * 5)
        {
            Log.CommandFailed(_logger, operation, exception.Message);
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var configuration = ConfigurationOptions.Parse(_options.Configuration);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.SyncTimeout = (int)_options.CommandTimeout.TotalMilliseconds;
        configuration.AsyncTimeout = (int)_options.CommandTimeout.TotalMilliseconds;
        configuration.ConnectTimeout = Math.Max(configuration.ConnectTimeout == 0 ? 5000 : configuration.ConnectTimeout, 1000);
        configuration.ReconnectRetryPolicy = new LinearRetry(500);
        configuration.ClientName ??= "bms-realtime";
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        multiplexer.ConnectionFailed += (_, e) =>
        {
            _lastError = $"{e.FailureType}: {e.Exception?.Message}";
            Interlocked.Exchange(ref _lastErrorAtTicks, _time.GetUtcNow().UtcTicks);
            Log.ConnectionLost(_logger, e.EndPoint?.ToString() ?? "?", e.ConnectionType.ToString(), e.FailureType.ToString(), e.Exception);
        };
        multiplexer.ConnectionRestored += (_, e) =>
        {
            Log.ConnectionRestored(_logger, e.EndPoint?.ToString() ?? "?", e.ConnectionType.ToString());
            Restored?.Invoke();
        };
        if (multiplexer.IsConnected)
        {
            Log.Connected(_logger, multiplexer.Configuration);
        }
        else
        {
            _lastError = "Redis is unreachable";
            Interlocked.Exchange(ref _lastErrorAtTicks, _time.GetUtcNow().UtcTicks);
            Log.NotConnected(_logger, Endpoint);
        }

        return multiplexer;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_multiplexer.IsValueCreated)
        {
            try
            {
                var multiplexer = await _multiplexer.Value.ConfigureAwait(false);
                await multiplexer.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
                multiplexer.Dispose();
            }
            catch (RedisException)
            {
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Connected to Redis {Endpoint}")]
        public static partial void Connected(ILogger logger, string endpoint);

        [LoggerMessage(2, LogLevel.Error, "Redis {Endpoint} is unreachable; serving local sockets only and retrying in the background")]
        public static partial void NotConnected(ILogger logger, string endpoint);

        [LoggerMessage(3, LogLevel.Error, "Redis connection to {Endpoint} ({ConnectionType}) lost: {FailureType}; serving local sockets only until it returns")]
        public static partial void ConnectionLost(ILogger logger, string endpoint, string connectionType, string failureType, Exception? exception);

        [LoggerMessage(4, LogLevel.Information, "Redis connection to {Endpoint} ({ConnectionType}) restored")]
        public static partial void ConnectionRestored(ILogger logger, string endpoint, string connectionType);

        [LoggerMessage(5, LogLevel.Warning, "Redis {Operation} failed: {Message}")]
        public static partial void CommandFailed(ILogger logger, string operation, string message);
    }
}
