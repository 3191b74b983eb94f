using Bms.Pos.Storage;
using Bms.Pos.Sync;
using Bms.Realtime.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bms.Pos;

/// <summary>
/// The POS terminal's connection to the backend: the <c>/pos</c> namespace over a <see cref="WebSocketClient"/> (rooms
/// <c>store:{id}</c> and <c>terminal:{id}</c> joined automatically and re-joined after reconnects), the local store
/// (<see cref="ISyncStore"/>) and the <see cref="SyncService"/>. <c>product:updated</c> / <c>inventory:updated</c>
/// update the catalogue cache; <c>system:notification</c> / <c>low-stock:alert</c> become notifications with read/unread
/// state; every sync run is reported to the server as <c>sync:status</c> (admins see every terminal). Thread-safe.
/// </summary>
/// <example>
/// <code>
/// await using var pos = PosWebSocketService.Create(new PosOptions
/// {
///     ServerUrl = new Uri("http://127.0.0.1:3001"), TerminalId = "POS-001", Secret = "pos-secret-001", DataPath = "pos-001.db",
/// });
/// pos.SyncStatusChanged += (_, s) => Console.WriteLine($"{(s.IsOnline ? "online" : "offline")}, {s.PendingTransactions} pending");
/// await pos.StartAsync();
/// var sale = await pos.RecordSaleAsync([new SaleRequestLine(ProductId: 1, Quantity: 2)]);
/// await pos.TriggerSyncWithNotificationAsync();
/// </code>
/// </example>
public sealed partial class PosWebSocketService : IAsyncDisposable
{
    /// <summary>The namespace of POS terminals.</summary>
    public const string Namespace = "/pos";

    private static readonly Lazy<PosWebSocketService> SharedInstance = new(() => Create(PosOptions.FromEnvironment()));
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(5);

    private readonly PosOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly SemaphoreSlim _statusGate = new(1, 1);
    private SyncStatus _status = SyncStatus.Initial;
    private int _started;
    private int _disposed;

    private PosWebSocketService(PosOptions options, ISyncStore store, PosApiClient api, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _options = options;
        _time = time;
        _logger = loggerFactory.CreateLogger<PosWebSocketService>();
        Store = store;
        Api = api;
        Auth = new TerminalAuth(store, Api, options, time);
        Sync = new SyncService(store, Auth, Api, options, loggerFactory.CreateLogger<SyncService>(), time);
        Client = WebSocketClientFactory.Create(
            new WebSocketClientOptions { Url = options.ServerUrl, AccessTokenProvider = async ct => await Auth.GetAccessTokenAsync(ct).ConfigureAwait(false) },
            loggerFactory,
            time);
        Socket = Client.Of(Namespace);
        Subscribe();
    }

    /// <summary>
    /// The process-wide instance, created on first use from <see cref="PosOptions.FromEnvironment"/>
    /// (<c>BMS_API_URL</c>, <c>BMS_POS_TERMINAL</c>, <c>BMS_POS_SECRET</c>, <c>BMS_POS_DATA</c>).
    /// </summary>
    public static PosWebSocketService Shared => SharedInstance.Value;

    /// <summary>Raised when <see cref="Status"/> changes (connection, sync run, pending counts, errors).</summary>
    public event EventHandler<SyncStatus>? SyncStatusChanged;

    /// <summary>Raised when a new notification is stored (server event or local sync message).</summary>
    public event EventHandler<PosNotification>? NotificationReceived;

    /// <summary>Raised after the catalogue cache changed from a server event.</summary>
    public event EventHandler<int>? ProductChanged;

    /// <summary>The local store.</summary>
    public ISyncStore Store { get; }

    /// <summary>The outbox sync.</summary>
    public SyncService Sync { get; }

    /// <summary>The terminal's token holder.</summary>
    public TerminalAuth Auth { get; }

    /// <summary>The REST client.</summary>
    public PosApiClient Api { get; }

    /// <summary>The engine connection (owned by this service).</summary>
    public WebSocketClient Client { get; }

    /// <summary>The <c>/pos</c> socket.</summary>
    public NamespaceSocket Socket { get; }

    /// <summary>The options in use.</summary>
    public PosOptions Options => _options;

    /// <summary>The current sync status (refreshed on every change).</summary>
    public SyncStatus Status => Volatile.Read(ref _status);

    /// <summary>True while the <c>/pos</c> socket is connected.</summary>
    public bool IsOnline => Socket.IsConnected;

    /// <summary>Creates an independent service (its own store, client and sync) for <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public static PosWebSocketService Create(PosOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new PosWebSocketService(options, new SqliteSyncStore(options.DataPath), new PosApiClient(options.ServerUrl, options.RequestTimeout),
            loggerFactory ?? NullLoggerFactory.Instance, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Creates the service on <paramref name="api"/> (an <c>IHttpClientFactory</c> client; options already validated).</summary>
    internal static PosWebSocketService Create(PosOptions options, PosApiClient api, ILoggerFactory loggerFactory, TimeProvider timeProvider) =>
        new(options, new SqliteSyncStore(options.DataPath), api, loggerFactory, timeProvider);

    /// <summary>
    /// Opens the store and the identity: signs in when the server is reachable (and pulls the catalogue), otherwise
    /// continues on the identity and catalogue cached by an earlier start. Returns true when the server was reachable.
    /// Does not connect the socket or start the sync loop (see <see cref="StartAsync"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">First start without a reachable server, or wrong data file.</exception>
    /// <exception cref="PosApiException">The server refused the terminal's credentials.</exception>
    public async Task<bool> InitializeAsync(CancellationToken cancellationToken = default)
    {
        await Store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var cached = await Auth.LoadAsync(cancellationToken).ConfigureAwait(false);
        await Sync.LoadStateAsync(cancellationToken).ConfigureAwait(false);
        var online = false;
        if (_options.Secret is not null)
        {
            try
            {
                await Auth.SignInAsync(cancellationToken).ConfigureAwait(false);
                await Sync.PullCatalogAsync(cancellationToken).ConfigureAwait(false);
                online = true;
            }
            catch (Exception ex) when (cached is not null && IsUnreachable(ex))
            {
                Log.StartingOffline(_logger, ex.Message);
            }
        }

        if (Auth.Identity is null)
        {
            throw new InvalidOperationException("This terminal has never signed in: the first start needs the server and --terminal/--secret.");
        }

        await RefreshStatusAsync().ConfigureAwait(false);
        return online;
    }

    /// <summary>
    /// <see cref="InitializeAsync"/>, then connects <c>/pos</c> in the background (it keeps retrying while offline) and
    /// starts the sync loop. Returns true when the server was reachable at start.
    /// </summary>
    public async Task<bool> StartAsync(CancellationToken cancellationToken = default)
    {
        var online = await InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _ = ConnectInBackgroundAsync();
            Sync.Start();
        }

        return online;
    }

    /// <summary>Records a sale in the local store (sale + outbox in one transaction) and asks for a sync.</summary>
    public async Task<LocalSale> RecordSaleAsync(IReadOnlyList<SaleRequestLine> lines, CancellationToken cancellationToken = default)
    {
        var sale = await Store.RecordSaleAsync(lines, _time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _started) == 1)
        {
            Sync.RequestSync();
        }

        await RefreshStatusAsync().ConfigureAwait(false);
        return sale;
    }

    /// <summary>Runs a sync now and stores a notification with its outcome (the cashier's "sync now" key).</summary>
    public async Task<SyncRunResult> TriggerSyncWithNotificationAsync(CancellationToken cancellationToken = default)
    {
        var result = await Sync.SyncNowAsync(cancellationToken).ConfigureAwait(false);
        var (severity, title, message) = result switch
        {
            { Succeeded: true, Rejected: > 0 } => ("warning", "Sync finished with rejected sales",
                $"{result.Accepted + result.Duplicates} sent, {result.Rejected} rejected: a manager must retry or discard them."),
            { Succeeded: true } => ("info", "Sync complete", $"{result.Accepted + result.Duplicates} sales sent, {result.Pulled} products updated."),
            { LeaseBusy: true } => ("info", "Sync in progress", "Another till process is syncing this data file."),
            _ => ("error", "Sync failed", result.Error ?? "unknown error"),
        };
        await AddNotificationAsync(new PosNotification(Guid.CreateVersion7().ToString(), "sync", title, message, severity,
            _time.GetUtcNow().UtcDateTime, false)).ConfigureAwait(false);
        return result;
    }

    /// <summary>Notifications, newest first.</summary>
    public Task<IReadOnlyList<PosNotification>> GetNotificationsAsync(bool unreadOnly = false, int limit = 50, CancellationToken cancellationToken = default) =>
        Store.GetNotificationsAsync(unreadOnly, limit, cancellationToken);

    /// <summary>Marks one notification read.</summary>
    public async Task<bool> MarkNotificationReadAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var changed = await Store.MarkNotificationsReadAsync(id, cancellationToken).ConfigureAwait(false) > 0;
        return changed;
    }

    /// <summary>Marks every notification read; returns how many changed.</summary>
    public Task<int> MarkAllNotificationsReadAsync(CancellationToken cancellationToken = default) =>
        Store.MarkNotificationsReadAsync(null, cancellationToken);

    /// <summary>The monitoring snapshot (connection health and state, sync state, pending counts).</summary>
    public async Task<SyncMonitoringSnapshot> GetMonitoringSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var counts = await Store.GetCountsAsync(cancellationToken).ConfigureAwait(false);
        return new SyncMonitoringSnapshot(Client.Health, Client.State, IsOnline, Sync.IsSyncing, Sync.LastSync,
            counts.PendingTransactions, counts.PendingProducts);
    }

    /// <summary>Sends the current status to the server as <c>sync:status</c> (with an ack); false when offline or refused.</summary>
    public async Task<bool> ReportSyncStatusAsync(CancellationToken cancellationToken = default)
    {
        if (!IsOnline || Auth.Identity is not { } identity)
        {
            return false;
        }

        var status = Status;
        try
        {
            var ack = await Socket.EmitWithAckAsync(ClientEvents.SyncStatus, AckTimeout, [new SyncStatusReport(
                identity.TerminalId, identity.StoreId, status.IsOnline, status.IsSyncing, status.LastSync,
                status.PendingTransactions, status.PendingProducts, status.SyncErrors)], cancellationToken).ConfigureAwait(false);
            return ack.Count > 0 && ack.GetRaw(0).TryGetProperty("ok", out var ok) && ok.ValueKind == System.Text.Json.JsonValueKind.True;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.ReportFailed(_logger, ex.Message);
            return false;
        }
    }

    /// <summary>Stops the sync loop, disconnects and closes the client.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        await Sync.DisposeAsync().ConfigureAwait(false);
        await Client.DisposeAsync().ConfigureAwait(false);
        Api.Dispose();
    }

    private static bool IsUnreachable(Exception ex) =>
        ex is HttpRequestException or TimeoutException || ex is PosApiException { IsTransient: true };
}
