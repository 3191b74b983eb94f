using System.Globalization;

namespace Bms.Pos.Terminal;

/// <summary>
/// The command line. Interactive by default; any of <c>--sell</c>, <c>--sync-once</c>, <c>--status</c>,
/// <c>--list-rejected</c>, <c>--retry</c>, <c>--discard</c> runs non-interactively and prints one JSON line per step.
/// </summary>
internal sealed class TerminalArguments
{
    public Uri Server { get; private set; } = new("http://127.0.0.1:3001");

    public string? TerminalId { get; private set; }

    public string? Secret { get; private set; }

    public string? DataPath { get; private set; }

    public List<(string Sku, int Quantity)> Sell { get; } = [];

    public int Count { get; private set; } = 1;

    public bool SyncOnce { get; private set; }

    public TimeSpan SyncTimeout { get; private set; } = TimeSpan.FromSeconds(120);

    public bool Status { get; private set; }

    public bool ListRejected { get; private set; }

    public Guid? Retry { get; private set; }

    public Guid? Discard { get; private set; }

    public int? BatchSize { get; private set; }

    public TimeSpan? RetryDelay { get; private set; }

    public TimeSpan? RetryDelayMax { get; private set; }

    public TimeSpan? RequestTimeout { get; private set; }

    public TimeSpan? LeaseDuration { get; private set; }

    public bool Verbose { get; private set; }

    public bool Help { get; private set; }

    public bool IsBatch => Sell.Count > 0 || SyncOnce || Status || ListRejected || Retry is not null || Discard is not null;

    public const string Usage = """
        Bms.Pos.Terminal — a POS till that keeps selling offline.

          --server URL        backend (default http://127.0.0.1:3001)
          --terminal ID       terminal id, e.g. POS-001 (first start; then read from the data file)
          --secret SECRET     terminal secret (not stored; needed to sign in again when the token expires)
          --data PATH         local data file (default ./data/<terminal>.db)

        Non-interactive (one JSON line per step on stdout; exit code 0 on success):
          --sell SKU:QTY      add a line to a sale (repeatable); --count N rings up N such sales
          --sync-once         push the outbox and pull the catalogue until the outbox is empty (--sync-timeout SECONDS)
          --status            print counts, identity and rejected sales
          --list-rejected     print rejected sales
          --retry ID | --discard ID   manager actions on a rejected sale
          --batch-size N  --retry-delay-ms N  --retry-delay-max-ms N  --request-timeout-ms N  --lease-seconds N  --verbose
        """;

    public static TerminalArguments Parse(string[] args)
    {
        var parsed = new TerminalArguments();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--server": parsed.Server = new Uri(Next()); break;
                case "--terminal": parsed.TerminalId = Next(); break;
                case "--secret": parsed.Secret = Next(); break;
                case "--data": parsed.DataPath = Next(); break;
                case "--sell": parsed.Sell.Add(ParseLine(Next())); break;
                case "--count": parsed.Count = PositiveInt(Next(), name); break;
                case "--sync-once": parsed.SyncOnce = true; break;
                case "--sync-timeout": parsed.SyncTimeout = TimeSpan.FromSeconds(PositiveInt(Next(), name)); break;
                case "--status": parsed.Status = true; break;
                case "--list-rejected": parsed.ListRejected = true; break;
                case "--retry": parsed.Retry = Guid.Parse(Next()); break;
                case "--discard": parsed.Discard = Guid.Parse(Next()); break;
                case "--batch-size": parsed.BatchSize = PositiveInt(Next(), name); break;
                case "--retry-delay-ms": parsed.RetryDelay = TimeSpan.FromMilliseconds(PositiveInt(Next(), name)); break;
                case "--retry-delay-max-ms": parsed.RetryDelayMax = TimeSpan.FromMilliseconds(PositiveInt(Next(), name)); break;
                case "--request-timeout-ms": parsed.RequestTimeout = TimeSpan.FromMilliseconds(PositiveInt(Next(), name)); break;
                case "--lease-seconds": parsed.LeaseDuration = TimeSpan.FromSeconds(PositiveInt(Next(), name)); break;
                case "--verbose": parsed.Verbose = true; break;
                case "--help" or "-h" or "-?": parsed.Help = true; break;
                default: throw new ArgumentException($"Unknown option {name}.");
            }
        }

        return parsed;
    }

    /// <summary>Applies the command line to <paramref name="options"/> (for <c>services.AddBmsPos(arguments.Configure)</c>).</summary>
    public void Configure(PosOptions options)
    {
        options.ServerUrl = Server;
        options.TerminalId = TerminalId;
        options.Secret = Secret;
        options.DataPath = DataPath ?? Path.Combine("data", $"{TerminalId ?? "pos"}.db");
        options.BatchSize = BatchSize ?? options.BatchSize;
        options.RetryDelay = RetryDelay ?? options.RetryDelay;
        options.RetryDelayMax = RetryDelayMax ?? (RetryDelay is { } d && d > options.RetryDelayMax ? d : options.RetryDelayMax);
        options.RequestTimeout = RequestTimeout ?? options.RequestTimeout;
        options.LeaseDuration = LeaseDuration ?? options.LeaseDuration;
    }

    private static (string, int) ParseLine(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon <= 0
            ? (value, 1)
            : (value[..colon], PositiveInt(value[(colon + 1)..], "--sell"));
    }

    private static int PositiveInt(string value, string option) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{option} needs a positive number, not '{value}'.");
}
