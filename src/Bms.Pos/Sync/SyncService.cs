using Bms.Pos.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bms.Pos.Sync;

/// <summary>
/// Pushes the outbox to <c>POST /api/pos/sync</c> in batches and pulls missed catalogue changes from
/// <c>GET /api/pos/catalog?since=</c>: on <see cref="RequestSync"/> (connection back, new sale, manual), on a timer
/// (<see cref="PosOptions.SyncInterval"/>), and again with exponential backoff after a failure.
/// </summary>
/// <remarks>
/// Guarantees: an item leaves the outbox only after the server answered accepted/duplicate for it, so a crash or a
/// lost answer means it is sent again and the server deduplicates it by id. Sending is guarded by the store's sync lease
/// (renewed before every batch; <see cref="PosOptions.LeaseDuration"/> exceeds the request timeout), so two processes on
/// one data file never send at the same time. Runs in one process are serialised. Rejected items stay in the outbox
/// with their reason until <see cref="RetryRejectedAsync"/> or <see cref="DiscardRejectedAsync"/>. Thread-safe.
/// </remarks>
/// <example>
/// <code>
/// await using var sync = new SyncService(store, auth, api, options);
/// sync.Start();               // background loop
/// sync.RequestSync();         // e.g. after a sale or when the socket reconnects
/// </code>
/// </example>
public sealed partial class SyncService : IAsyncDisposable
{
    private const string CatalogCursorKey = "catalog_cursor";
    private const string LastSyncKey = "last_sync";

    private readonly ISyncStore _store;
    private readonly TerminalAuth _auth;
    private readonly PosApiClient _api;
    private readonly PosOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _runGate = new(1, 1);
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private int _syncing;
    private int _failures;
    private DateTime? _lastSync;
    private string? _lastError;

    /// <summary>Creates the service; nothing runs until <see cref="Start"/> or <see cref="SyncNowAsync"/>.</summary>
    public SyncService(
        ISyncStore store, TerminalAuth auth, PosApiClient api, PosOptions options, ILogger<SyncService>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _store = store;
        _auth = auth;
        _api = api;
        _options = options;
        _logger = logger ?? NullLogger<SyncService>.Instance;
        _time = time ?? TimeProvider.System;
        LeaseOwner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    }

    /// <summary>Raised when a run starts or ends (see <see cref="IsSyncing"/>).</summary>
    public event EventHandler? SyncingChanged;

    /// <summary>Raised after every run with its result.</summary>
    public event EventHandler<SyncRunResult>? SyncCompleted;

    /// <summary>This process's lease owner name: <c>machine:pid:nonce</c>.</summary>
    public string LeaseOwner { get; }

    /// <summary>True while a run is in progress.</summary>
    public bool IsSyncing => Volatile.Read(ref _syncing) == 1;

    /// <summary>End of the last successful run (UTC), or null.</summary>
    public DateTime? LastSync
    {
        get
        {
            lock (_signal)
            {
                return _lastSync;
            }
        }
    }

    /// <summary>The error of the last run, or null when it succeeded.</summary>
    public string? LastError
    {
        get
        {
            lock (_signal)
            {
                return _lastError;
            }
        }
    }

    /// <summary>Failed runs in a row (drives the backoff).</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _failures);

    /// <summary>Starts the background loop (idempotent). The first run starts at once.</summary>
    public void Start()
    {
        lock (_runGate)
        {
            _loop ??= Task.Run(() => LoopAsync(_stopping.Token));
        }
    }

    /// <summary>Asks the background loop to run as soon as possible (coalesced; returns at once).</summary>
    public void RequestSync()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    /// <summary>Runs one sync now (waits for a run in progress in this process first).</summary>
    public Task<SyncRunResult> SyncNowAsync(CancellationToken cancellationToken = default) => RunAsync(cancellationToken);

    /// <summary>
    /// Runs until the outbox has no pending item and a run succeeded, retrying with backoff (and waiting while another
    /// process holds the lease), or until <paramref name="timeout"/>. Returns the sum of all runs.
    /// </summary>
    public async Task<SyncRunResult> SyncUntilDrainedAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var started = _time.GetUtcNow().UtcDateTime;
        int sent = 0, accepted = 0, duplicates = 0, rejected = 0, pulled = 0;
        var negative = new List<PosStockLevel>();
        SyncRunResult? last = null;
        try
        {
            while (true)
            {
                last = await RunAsync(cts.Token).ConfigureAwait(false);
                sent += last.Sent;
                accepted += last.Accepted;
                duplicates += last.Duplicates;
                rejected += last.Rejected;
                pulled += last.Pulled;
                negative.AddRange(last.NegativeStock);
                var pending = (await _store.GetCountsAsync(cts.Token).ConfigureAwait(false)).PendingTransactions;
                if (last.Succeeded && pending == 0)
                {
                    break;
                }

                var delay = last.LeaseBusy ? TimeSpan.FromMilliseconds(200) : last.Succeeded ? TimeSpan.Zero : Backoff(ConsecutiveFailures);
                await Task.Delay(delay, _time, cts.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            last = (last ?? Empty(started)) with { Succeeded = false, Error = "timed out: " + (last?.Error ?? "outbox not drained") };
        }

        return new SyncRunResult(last!.Succeeded, last.LeaseBusy, sent, accepted, duplicates, rejected, pulled, last.Error, started,
            _time.GetUtcNow().UtcDateTime, negative);
    }

    /// <summary>Reads the persisted time of the last successful sync, so <see cref="LastSync"/> survives a restart.</summary>
    public async Task LoadStateAsync(CancellationToken cancellationToken = default)
    {
        if (await _store.GetValueAsync(LastSyncKey, cancellationToken).ConfigureAwait(false) is { } text)
        {
            lock (_signal)
            {
                _lastSync ??= SqliteSyncStore.ParseTime(text);
            }
        }
    }

    /// <summary>Pulls catalogue changes since the stored cursor (no lease needed: upserts are idempotent); returns how many products changed.</summary>
    public Task<int> PullCatalogAsync(CancellationToken cancellationToken = default) => PullAsync(cancellationToken);

    /// <summary>Puts a rejected item back into the queue (manager action) and requests a sync.</summary>
    public async Task<bool> RetryRejectedAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var done = await _store.RetryRejectedAsync(id, cancellationToken).ConfigureAwait(false);
        if (done)
        {
            await _store.AppendLogAsync("retry", $"{id} queued again by a manager", Now(), cancellationToken).ConfigureAwait(false);
            RequestSync();
        }

        return done;
    }

    /// <summary>Removes a rejected item for good (manager action); its local stock change is dropped too.</summary>
    public async Task<bool> DiscardRejectedAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var done = await _store.DiscardRejectedAsync(id, cancellationToken).ConfigureAwait(false);
        if (done)
        {
            await _store.AppendLogAsync("discard", $"{id} discarded by a manager", Now(), cancellationToken).ConfigureAwait(false);
        }

        return done;
    }

    /// <summary>Stops the loop, waits for a run in progress and releases the lease.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        try
        {
            await _store.ReleaseLeaseAsync(LeaseOwner).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.LeaseReleaseFailed(_logger, ex);
        }

        _stopping.Dispose();
    }

    /// <summary>The delay before retry number <paramref name="failures"/>: doubling from RetryDelay, capped, ±50 % jitter.</summary>
    internal TimeSpan Backoff(int failures)
    {
        var exponent = Math.Clamp(failures - 1, 0, 20);
        var baseMs = Math.Min(_options.RetryDelayMax.TotalMilliseconds, _options.RetryDelay.TotalMilliseconds * Math.Pow(2, exponent));
        var jittered = baseMs * (0.5 + Random.Shared.NextDouble());
        return TimeSpan.FromMilliseconds(Math.Min(jittered, _options.RetryDelayMax.TotalMilliseconds));
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.Zero;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(delay, cancellationToken).ConfigureAwait(false);
                var result = await RunAsync(cancellationToken).ConfigureAwait(false);
                var pending = (await _store.GetCountsAsync(cancellationToken).ConfigureAwait(false)).PendingTransactions;
                delay = result.Succeeded
                    ? (pending > 0 && result.Sent > 0 ? TimeSpan.Zero : _options.SyncInterval)
                    : result.LeaseBusy
                        ? TimeSpan.FromSeconds(Math.Min(5, _options.SyncInterval.TotalSeconds))
                        : Backoff(ConsecutiveFailures);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store itself failed (disk full, file locked for too long): keep the loop alive and back off.
                Log.LoopFailed(_logger, ex);
                delay = _options.RetryDelayMax;
            }
        }
    }

    private DateTime Now() => _time.GetUtcNow().UtcDateTime;

    private static SyncRunResult Empty(DateTime started) => new(false, false, 0, 0, 0, 0, 0, null, started, started, []);
}
