using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Bms.Realtime.Server.Redis;

/// <summary>
/// The node's one Redis connection (a multiplexer: one socket for commands, one for subscriptions), shared by the
/// adapters of every namespace. Connects in the background and reconnects by itself; <see cref="IsConnected"/>,
/// <see cref="LastError"/> and the <c>bms.realtime.adapter.connected</c> gauge report its state (health checks read
/// them).
/// <para>
/// A heartbeat sends <c>PING</c> every <see cref="RedisAdapterOptions.HeartbeatInterval"/>: a Redis that keeps its
/// TCP connections open but does not answer (a stopped process, a stalled VM or failover, a full network buffer)
/// counts as unavailable once a <c>PING</c> has waited <see cref="RedisAdapterOptions.HeartbeatTimeout"/>, exactly as a
/// closed connection does, and as available again at the first answer. Thread-safe.
/// </para>
/// </summary>
public sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly RedisAdapterOptions _options;
    private readonly ILogger<RedisConnection> _logger;
    private readonly TimeProvider _time;
    private readonly Lazy<Task<ConnectionMultiplexer>> _multiplexer;
    private readonly CancellationTokenSource _stopping = new();
    private volatile string? _lastError;
    private long _lastErrorAtTicks;
    private volatile bool _unresponsive;

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

    /// <summary>
    /// True while the connection to Redis is up and Redis answers the heartbeat; false while it is closed, before the
    /// first connection, and while a <c>PING</c> has been waiting longer than
    /// <see cref="RedisAdapterOptions.HeartbeatTimeout"/>.
    /// </summary>
    public bool IsConnected => !_unresponsive && IsSocketConnected;

    /// <summary>True while Redis keeps the connection open but has not answered a <c>PING</c> within the heartbeat timeout.</summary>
    public bool IsUnresponsive => _unresponsive && IsSocketConnected;

    /// <summary>The last connection or command failure (null when none happened yet).</summary>
    public string? LastError => _lastError;

    /// <summary>When <see cref="LastError"/> happened.</summary>
    public DateTimeOffset? LastErrorAt => Interlocked.Read(ref _lastErrorAtTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>The endpoint configuration in use (without secrets), for logs and health reports.</summary>
    public string Endpoint => ConfigurationOptions.Parse(_options.Configuration).ToString(includePassword: false);

    /// <summary>Raised when the connection comes back after a failure, or Redis answers again after a hang.</summary>
    public event Action? Restored;

    /// <summary>Raised when the connection fails or Redis stops answering the heartbeat (nobody should wait for it then).</summary>
    public event Action? Lost;

    private bool IsSocketConnected => _multiplexer.IsValueCreated && _multiplexer.Value.IsCompletedSuccessfully && _multiplexer.Value.Result.IsConnected;

    /// <summary>Returns the multiplexer, connecting on first use (it may be disconnected; check <see cref="IsConnected"/>).</summary>
    public Task<ConnectionMultiplexer> GetAsync() => _multiplexer.Value;

    /// <summary>The clock of the heartbeat and of the adapters' retries.</summary>
    internal TimeProvider Time => _time;

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
            Lost?.Invoke();
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

        _ = HeartbeatAsync(multiplexer);
        return multiplexer;
    }

    /// <summary>PING every interval; a PING unanswered after the timeout marks Redis unresponsive until one is answered.</summary>
    private async Task HeartbeatAsync(ConnectionMultiplexer multiplexer)
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.HeartbeatInterval, _time, token).ConfigureAwait(false);
                if (!multiplexer.IsConnected)
                {
                    // A closed connection is reported by the multiplexer itself; the heartbeat only looks for silence.
                    continue;
                }

                var ping = multiplexer.GetDatabase().PingAsync();
                try
                {
                    await ping.WaitAsync(_options.HeartbeatTimeout, _time, token).ConfigureAwait(false);
                    MarkResponsive();
                }
                catch (TimeoutException) when (ping.IsCompleted)
                {
                    // Answered in time, but this process was too busy to see it before the timer fired: not Redis' fault.
                    MarkResponsive();
                }
                catch (TimeoutException)
                {
                    MarkUnresponsive(multiplexer);

                    // Keep one PING outstanding: its answer (or the multiplexer's own timeout) ends the wait.
                    try
                    {
                        await ping.WaitAsync(token).ConfigureAwait(false);
                        MarkResponsive();
                    }
                    catch (Exception ex) when (ex is RedisException or TimeoutException)
                    {
                    }
                }
                catch (Exception ex) when (ex is RedisException)
                {
                    // A failing connection: ConnectionFailed reports it.
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void MarkUnresponsive(ConnectionMultiplexer multiplexer)
    {
        if (_unresponsive)
        {
            return;
        }

        _unresponsive = true;
        _lastError = $"Redis did not answer PING within {_options.HeartbeatTimeout.TotalMilliseconds:0} ms";
        Interlocked.Exchange(ref _lastErrorAtTicks, _time.GetUtcNow().UtcTicks);
        Log.Unresponsive(_logger, multiplexer.Configuration, (long)_options.HeartbeatTimeout.TotalMilliseconds);
        Lost?.Invoke();
    }

    private void MarkResponsive()
    {
        if (!_unresponsive)
        {
            return;
        }

        _unresponsive = false;
        Log.Responsive(_logger, Endpoint);
        Restored?.Invoke();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
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

        [LoggerMessage(6, LogLevel.Error, "Redis {Endpoint} did not answer PING within {TimeoutMs} ms; treating it as down (serving local sockets only) until it answers")]
        public static partial void Unresponsive(ILogger logger, string endpoint, long timeoutMs);

        [LoggerMessage(7, LogLevel.Information, "Redis {Endpoint} answers again")]
        public static partial void Responsive(ILogger logger, string endpoint);
    }
}
