namespace Bms.Pos;

/// <summary>
/// Options of a POS terminal (<see cref="PosWebSocketService"/>, <see cref="Sync.SyncService"/>). Validated by
/// <see cref="PosOptionsValidator"/>: at start with <c>services.AddBmsPos(…)</c>, else when a service is created.
/// </summary>
public sealed class PosOptions
{
    /// <summary>The backend's base URL (REST and Socket.IO). Default <c>http://127.0.0.1:3001</c>.</summary>
    public Uri ServerUrl { get; set; } = new("http://127.0.0.1:3001");

    /// <summary>The terminal id, e.g. <c>POS-001</c>. Required on the first start; later read from the data file when null.</summary>
    public string? TerminalId { get; set; }

    /// <summary>The terminal secret. Never stored; without it the terminal runs on the cached token until it expires.</summary>
    public string? Secret { get; set; }

    /// <summary>Path of the local SQLite data file. Default <c>./data/pos.db</c>.</summary>
    public string DataPath { get; set; } = Path.Combine("data", "pos.db");

    /// <summary>How often the outbox is pushed and missed changes pulled while nothing else triggers a sync. Default 30 s.</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Transactions per <c>POST /api/pos/sync</c> request. Default 50 (the server accepts up to 500).</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>First retry delay after a failed sync; doubles per failure up to <see cref="RetryDelayMax"/>, ±50 % jitter. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest retry delay. Default 60 s.</summary>
    public TimeSpan RetryDelayMax { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long the sync lease is held without renewal. Renewed before every batch; must exceed <see cref="RequestTimeout"/>
    /// so a batch in flight never outlives its lease. Default 60 s.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of one HTTP request. Default 20 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Largest JSON of one transaction; a larger one is rejected locally (<c>oversized</c>) and never sent. Default 64 KiB (the server's limit).</summary>
    public int MaxItemBytes { get; set; } = 64 * 1024;

    /// <summary>Options with values from the environment: <c>BMS_API_URL</c>, <c>BMS_POS_TERMINAL</c>, <c>BMS_POS_SECRET</c>, <c>BMS_POS_DATA</c>.</summary>
    public static PosOptions FromEnvironment()
    {
        var options = new PosOptions();
        if (Environment.GetEnvironmentVariable("BMS_API_URL") is { Length: > 0 } url)
        {
            options.ServerUrl = new Uri(url);
        }

        options.TerminalId = Environment.GetEnvironmentVariable("BMS_POS_TERMINAL") is { Length: > 0 } t ? t : null;
        options.Secret = Environment.GetEnvironmentVariable("BMS_POS_SECRET") is { Length: > 0 } s ? s : null;
        if (Environment.GetEnvironmentVariable("BMS_POS_DATA") is { Length: > 0 } data)
        {
            options.DataPath = data;
        }

        return options;
    }

    /// <summary>
    /// Throws when the options cannot work: the rules of <see cref="PosOptionsValidator"/>, for callers without a
    /// container (with <c>services.AddBmsPos(…)</c> they run at start instead).
    /// </summary>
    /// <exception cref="ArgumentException">A bad URL, path, size or duration; the message lists every failure.</exception>
    public void Validate()
    {
        var result = new PosOptionsValidator().Validate(null, this);
        if (result.Failed)
        {
            throw new ArgumentException(result.FailureMessage);
        }
    }
}
