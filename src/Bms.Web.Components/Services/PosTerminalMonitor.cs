using System.Text.Json;
using Bms.Contracts;
using Bms.Web.Components.Models;

namespace Bms.Web.Components.Services;

/// <summary>
/// The app's view of the POS terminals: seeded and periodically refreshed from <see cref="IPosTerminalDirectory"/>
/// (connections), updated at once by <c>sync:status</c> reports. Scoped; thread-safe.
/// </summary>
public sealed class PosTerminalMonitor : IAsyncDisposable, IDisposable
{
    private readonly IRealtimeConnection _connection;
    private readonly IPosTerminalDirectory? _directory;
    private readonly TimeProvider _time;
    private readonly ChangeNotifier _changed = new();
    private readonly Dictionary<string, TerminalStatus> _terminals = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private IDisposable? _subscription;
    private Task? _start;
    private Task? _poll;
    private int _disposed;

    /// <summary>Creates the monitor; it listens once <see cref="StartAsync"/> is called.</summary>
    public PosTerminalMonitor(IRealtimeConnection connection, TimeProvider time, IPosTerminalDirectory? directory = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(time);
        _connection = connection;
        _time = time;
        _directory = directory;
    }

    /// <summary>How often the directory is asked for connection changes. Default 5 s.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>True when manual sync can be requested (a directory is registered).</summary>
    public bool CanRequestSync => _directory is not null;

    /// <summary>The terminals, ordered by id.</summary>
    public IReadOnlyList<TerminalStatus> Terminals
    {
        get
        {
            lock (_terminals)
            {
                return [.. _terminals.Values.OrderBy(t => t.TerminalId, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>When the terminal list last changed.</summary>
    public DateTimeOffset? LastUpdated { get; private set; }

    /// <summary>The error of the last directory refresh, or null.</summary>
    public string? Error { get; private set; }

    /// <summary>Subscribes to changes; dispose the result to unsubscribe.</summary>
    public IDisposable OnChanged(Action callback) => _changed.Subscribe(callback);

    /// <summary>Subscribes to <c>sync:status</c>, loads the terminals and starts the periodic refresh (once per app).</summary>
    public Task StartAsync()
    {
        lock (_terminals)
        {
            return _start ??= StartCoreAsync();
        }
    }

    /// <summary>Reloads the terminals from the directory now.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        if (_directory is null)
        {
            return;
        }

        try
        {
            var snapshot = await _directory.GetTerminalsAsync(cancellationToken).ConfigureAwait(false);
            lock (_terminals)
            {
                foreach (var fresh in snapshot)
                {
                    _terminals[fresh.TerminalId] = _terminals.TryGetValue(fresh.TerminalId, out var known)
                        && (known.LastReportAt ?? DateTimeOffset.MinValue) > (fresh.LastReportAt ?? DateTimeOffset.MinValue)
                            ? known with { IsConnected = fresh.IsConnected, Name = fresh.Name ?? known.Name, StoreId = fresh.StoreId ?? known.StoreId }
                            : fresh;
                }
            }

            Error = null;
            LastUpdated = _time.GetUtcNow();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Error = ex.Message;
        }

        _changed.Notify();
    }

    /// <summary>Asks one terminal (or all when null) to sync now; returns how many were asked (0 without a directory).</summary>
    public Task<int> RequestSyncAsync(string? terminalId, CancellationToken cancellationToken = default) =>
        _directory?.RequestSyncAsync(terminalId, cancellationToken) ?? Task.FromResult(0);

    /// <summary>Applies a <c>sync:status</c> report (also used by tests and hosts that receive reports elsewhere).</summary>
    public void ApplyReport(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("terminalId", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 } terminalId)
        {
            return;
        }

        var now = _time.GetUtcNow();
        lock (_terminals)
        {
            var known = _terminals.TryGetValue(terminalId, out var existing) ? existing : new TerminalStatus { TerminalId = terminalId };
            _terminals[terminalId] = known.WithReport(data, now);
        }

        LastUpdated = now;
        _changed.Notify();
    }

    /// <summary>Stops listening and polling, and waits for a running refresh to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _subscription?.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_poll is not null)
        {
            await _poll.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Stops listening and polling without waiting.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _subscription?.Dispose();
        _stop.Cancel();
    }

    private async Task StartCoreAsync()
    {
        _subscription = _connection.Subscribe<EventEnvelope<JsonElement>>(RealtimeEventNames.MainNamespace, RealtimeEventNames.SyncStatus, e =>
        {
            if (e is not null)
            {
                ApplyReport(e.Data);
            }

            return Task.CompletedTask;
        });
        await RefreshAsync(_stop.Token).ConfigureAwait(false);
        if (_directory is not null)
        {
            _poll = PollAsync();
        }
    }

    private async Task PollAsync()
    {
        using var timer = new PeriodicTimer(RefreshInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                await RefreshAsync(_stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Circuit closed.
        }
    }
}
