using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Bms.Pos.Terminal;

/// <summary>
/// The command line, parsed with System.CommandLine (<see cref="Command"/> declares every option; <c>--help</c> lists
/// them). Interactive by default; any of <c>--sell</c>, <c>--sync-once</c>, <c>--status</c>, <c>--list-rejected</c>,
/// <c>--retry</c>, <c>--discard</c> runs non-interactively and prints one JSON line per step; <c>--self-test</c> runs the
/// diagnostics. An unknown option or a bad value is a usage error (exit code <see cref="UsageExitCode"/>).
/// </summary>
internal sealed class TerminalArguments
{
    /// <summary>EX_USAGE: the command line is wrong.</summary>
    public const int UsageExitCode = 64;

    private static readonly Option<Uri> ServerOption = new("--server")
    {
        Description = "The backend.",
        HelpName = "URL",
        DefaultValueFactory = _ => new Uri("http://127.0.0.1:3001"),
        CustomParser = result => ParseUri(result),
    };

    private static readonly Option<string?> TerminalOption = new("--terminal")
    {
        Description = "Terminal id, e.g. POS-001 (needed on the first start; later read from the data file).",
        HelpName = "ID",
    };

    private static readonly Option<string?> SecretOption = new("--secret")
    {
        Description = "Terminal secret (never stored; used to sign in again when the token expires).",
        HelpName = "SECRET",
    };

    private static readonly Option<string?> DataOption = new("--data")
    {
        Description = "The local SQLite data file [default: ./data/<terminal>.db].",
        HelpName = "PATH",
    };

    private static readonly Option<string[]> SellOption = new("--sell")
    {
        Description = "Scripted: add a line to a sale (repeatable; QTY defaults to 1).",
        HelpName = "SKU[:QTY]",
        Validators = { ValidateSaleLines },
    };

    private static readonly Option<int> CountOption = PositiveInt("--count", "Scripted: ring up N sales of the --sell lines.", "N", 1);

    private static readonly Option<bool> SyncOnceOption = new("--sync-once")
    {
        Description = "Scripted: push the outbox and pull the catalogue until the outbox is empty.",
    };

    private static readonly Option<int> SyncTimeoutOption = PositiveInt("--sync-timeout", "Scripted: how long --sync-once may take, in seconds.", "SECONDS", 120);

    private static readonly Option<bool> StatusOption = new("--status") { Description = "Scripted: print counts, identity and rejected sales." };

    private static readonly Option<bool> ListRejectedOption = new("--list-rejected") { Description = "Scripted: print the rejected sales." };

    private static readonly Option<Guid?> RetryOption = new("--retry") { Description = "Scripted (manager): send a rejected sale again.", HelpName = "ID" };

    private static readonly Option<Guid?> DiscardOption = new("--discard") { Description = "Scripted (manager): discard a rejected sale.", HelpName = "ID" };

    private static readonly Option<int?> BatchSizeOption = OptionalPositiveInt("--batch-size", "Sales per sync request [default: 50].", "N");

    private static readonly Option<int?> RetryDelayOption = OptionalPositiveInt("--retry-delay-ms", "First sync retry delay after a failure, in milliseconds [default: 1000].", "MS");

    private static readonly Option<int?> RetryDelayMaxOption = OptionalPositiveInt("--retry-delay-max-ms", "Longest sync retry delay, in milliseconds [default: 60000].", "MS");

    private static readonly Option<int?> RequestTimeoutOption = OptionalPositiveInt("--request-timeout-ms", "Timeout of one HTTP request, in milliseconds [default: 20000].", "MS");

    private static readonly Option<int?> LeaseOption = OptionalPositiveInt("--lease-seconds", "How long the sync lease on the data file lasts, in seconds [default: 60].", "SECONDS");

    private static readonly Option<bool> VerboseOption = new("--verbose") { Description = "Log the client's lifecycle to stderr." };

    private static readonly Option<bool> SelfTestOption = new("--self-test")
    {
        Description = "Check the till step by step (server, sign-in, socket, rooms, sync, catalogue, data file, clock, outbox) and change nothing; exit code 0 when no step failed, else 1.",
    };

    private static readonly Option<bool> JsonOption = new("--json") { Description = "With --self-test: print the report as one JSON document." };

    /// <summary>The command: every option, with its description for <c>--help</c>.</summary>
    public static RootCommand Command { get; } = CreateCommand();

    private TerminalArguments(ParseResult result)
    {
        Server = result.GetValue(ServerOption)!;
        TerminalId = result.GetValue(TerminalOption);
        Secret = result.GetValue(SecretOption);
        DataPath = result.GetValue(DataOption);
        Sell = [.. (result.GetValue(SellOption) ?? []).Select(ParseLine)];
        Count = result.GetValue(CountOption);
        SyncOnce = result.GetValue(SyncOnceOption);
        SyncTimeout = TimeSpan.FromSeconds(result.GetValue(SyncTimeoutOption));
        Status = result.GetValue(StatusOption);
        ListRejected = result.GetValue(ListRejectedOption);
        Retry = result.GetValue(RetryOption);
        Discard = result.GetValue(DiscardOption);
        BatchSize = result.GetValue(BatchSizeOption);
        RetryDelay = Milliseconds(result.GetValue(RetryDelayOption));
        RetryDelayMax = Milliseconds(result.GetValue(RetryDelayMaxOption));
        RequestTimeout = Milliseconds(result.GetValue(RequestTimeoutOption));
        LeaseDuration = result.GetValue(LeaseOption) is { } lease ? TimeSpan.FromSeconds(lease) : null;
        Verbose = result.GetValue(VerboseOption);
        SelfTest = result.GetValue(SelfTestOption);
        Json = result.GetValue(JsonOption);
    }

    public Uri Server { get; }

    public string? TerminalId { get; }

    public string? Secret { get; }

    public string? DataPath { get; }

    public IReadOnlyList<(string Sku, int Quantity)> Sell { get; }

    public int Count { get; }

    public bool SyncOnce { get; }

    public TimeSpan SyncTimeout { get; }

    public bool Status { get; }

    public bool ListRejected { get; }

    public Guid? Retry { get; }

    public Guid? Discard { get; }

    public int? BatchSize { get; }

    public TimeSpan? RetryDelay { get; }

    public TimeSpan? RetryDelayMax { get; }

    public TimeSpan? RequestTimeout { get; }

    public TimeSpan? LeaseDuration { get; }

    public bool Verbose { get; }

    /// <summary>Run the diagnostics (<c>--self-test</c>) instead of the till.</summary>
    public bool SelfTest { get; }

    /// <summary>With <see cref="SelfTest"/>: print the report as JSON.</summary>
    public bool Json { get; }

    public bool IsBatch => Sell.Count > 0 || SyncOnce || Status || ListRejected || Retry is not null || Discard is not null;

    /// <summary>
    /// Parses <paramref name="args"/>. Returns the arguments, or null after printing the help (<paramref name="exitCode"/>
    /// 0) or the errors and the help on stderr (<paramref name="exitCode"/> <see cref="UsageExitCode"/>).
    /// </summary>
    public static TerminalArguments? Parse(string[] args, out int exitCode)
    {
        var result = Command.Parse(args);
        if (result.Action is HelpAction)
        {
            exitCode = result.Invoke();
            return null;
        }

        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                Console.Error.WriteLine(error.Message);
            }

            Console.Error.WriteLine();
            Command.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = Console.Error });
            exitCode = UsageExitCode;
            return null;
        }

        exitCode = 0;
        return new TerminalArguments(result);
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

    private static RootCommand CreateCommand()
    {
        var command = new RootCommand("Bms.Pos.Terminal — a POS till that keeps selling offline. Interactive by default; the scripted options print one JSON line per step (exit code 0 on success).")
        {
            ServerOption, TerminalOption, SecretOption, DataOption,
            SellOption, CountOption, SyncOnceOption, SyncTimeoutOption, StatusOption, ListRejectedOption, RetryOption, DiscardOption,
            BatchSizeOption, RetryDelayOption, RetryDelayMaxOption, RequestTimeoutOption, LeaseOption, VerboseOption,
            SelfTestOption, JsonOption,
        };
        command.Validators.Add(result =>
        {
            var selfTest = result.GetValue(SelfTestOption);
            if (result.GetValue(JsonOption) && !selfTest)
            {
                result.AddError("--json goes with --self-test.");
            }

            // Presence only: a value that does not parse is reported by its own option, not thrown here.
            var scripted = result.GetResult(SellOption) is not null || result.GetValue(SyncOnceOption) || result.GetValue(StatusOption)
                || result.GetValue(ListRejectedOption) || result.GetResult(RetryOption) is not null || result.GetResult(DiscardOption) is not null;
            if (selfTest && scripted)
            {
                result.AddError("--self-test does not combine with the scripted options.");
            }
        });
        return command;
    }

    private static Option<int> PositiveInt(string name, string description, string helpName, int defaultValue) => new(name)
    {
        Description = description,
        HelpName = helpName,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ParsePositive(result, name) ?? defaultValue,
    };

    private static Option<int?> OptionalPositiveInt(string name, string description, string helpName) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result => ParsePositive(result, name),
    };

    private static int? ParsePositive(ArgumentResult result, string name)
    {
        var value = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (TryPositive(value, out var n))
        {
            return n;
        }

        result.AddError($"{name} needs a positive number, not '{value}'.");
        return null;
    }

    private static Uri ParseUri(ArgumentResult result)
    {
        var value = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return uri;
        }

        result.AddError($"--server needs an absolute URL, not '{value}'.");
        return new Uri("http://127.0.0.1:3001");
    }

    private static void ValidateSaleLines(OptionResult result)
    {
        foreach (var token in result.Tokens)
        {
            var colon = token.Value.LastIndexOf(':');
            if (token.Value.Length == 0 || colon == 0 || (colon > 0 && !TryPositive(token.Value[(colon + 1)..], out _)))
            {
                result.AddError($"--sell needs SKU or SKU:QTY with a positive quantity, not '{token.Value}'.");
            }
        }
    }

    private static (string, int) ParseLine(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon <= 0 ? (value, 1) : (value[..colon], int.Parse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture));
    }

    private static bool TryPositive(string value, out int n) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out n) && n > 0;

    private static TimeSpan? Milliseconds(int? value) => value is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
}
