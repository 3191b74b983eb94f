using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using Bms.Realtime.Client;
using Bms.Realtime.Client.Diagnostics;
using Microsoft.Extensions.Logging;

// Checks a live real-time installation and prints a report. Exit code 0 when every step passed, 1 otherwise, 2 on usage errors.
const int UsageExitCode = 2;

// The BMS defaults: BMS_WS_URL, else BMS_API_URL, else the backend's default address.
var defaultUrl = new[] { Environment.GetEnvironmentVariable("BMS_WS_URL"), Environment.GetEnvironmentVariable("BMS_API_URL") }
    .FirstOrDefault(u => !string.IsNullOrWhiteSpace(u)) ?? "http://127.0.0.1:3001";
var defaults = new DiagnosticsOptions();
var urlOption = new Option<string>("--url")
{
    Description = "Server URL (default: BMS_WS_URL, else BMS_API_URL, else http://127.0.0.1:3001).",
    HelpName = "URL",
    DefaultValueFactory = _ => defaultUrl,
    Validators = { r => MustBeAbsoluteUrl(r) },
};
var tokenOption = new Option<string?>("--token") { Description = "Access token sent as auth.token (default: BMS_TOKEN).", HelpName = "TOKEN" };
var namespaceOption = new Option<string>("--namespace")
{
    Description = "Namespace to authenticate on.",
    HelpName = "NSP",
    DefaultValueFactory = _ => defaults.Namespace,
};
var roomOption = new Option<string>("--room") { Description = "Room to join and leave (\"none\" skips).", HelpName = "ROOM", DefaultValueFactory = _ => defaults.Room! };
var ackOption = new Option<string>("--ack-event")
{
    Description = "Event the server acks with its argument (\"none\" skips).",
    HelpName = "NAME",
    DefaultValueFactory = _ => defaults.AckEvent!,
};
var binaryOption = new Option<string>("--binary-event")
{
    Description = "Event the server acks with the bytes it got (\"none\" skips).",
    HelpName = "NAME",
    DefaultValueFactory = _ => defaults.BinaryEvent!,
};
var transportsOption = new Option<TransportKind[]>("--transports")
{
    Description = "websocket | polling | polling,websocket.",
    HelpName = "LIST",
    DefaultValueFactory = _ => [TransportKind.WebSocket],
    CustomParser = ParseTransports,
};
var timeoutOption = new Option<double>("--timeout")
{
    Description = "Per-step limit, in seconds.",
    HelpName = "SECONDS",
    DefaultValueFactory = _ => defaults.StepTimeout.TotalSeconds,
    Validators = { r => MustBePositive(r) },
};
var noHeartbeatOption = new Option<bool>("--no-heartbeat") { Description = "Do not wait for a server ping." };
var noReconnectOption = new Option<bool>("--no-reconnect") { Description = "Do not force a reconnect." };
var jsonOption = new Option<bool>("--json") { Description = "Print the report as JSON." };
var debugOption = new Option<bool>("--debug") { Description = "Log every packet to stderr." };
var command = new RootCommand("bms-realtime-diag: checks a live BMS Realtime installation step by step (connect, auth, rooms, acks, binary, heartbeat, reconnect). Exit code 0 when every step passed, 1 otherwise, 2 on usage errors.")
{
    urlOption, tokenOption, namespaceOption, roomOption, ackOption, binaryOption, transportsOption, timeoutOption,
    noHeartbeatOption, noReconnectOption, jsonOption, debugOption,
};

var parsed = command.Parse(args);
if (parsed.Action is HelpAction)
{
    return parsed.Invoke();
}

if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    Console.Error.WriteLine();
    command.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = Console.Error });
    return UsageExitCode;
}

string? NoneIsNull(string value) => value == "none" ? null : value;
var clientOptions = new WebSocketClientOptions
{
    Url = new Uri(parsed.GetValue(urlOption)!),
    Transports = [.. parsed.GetValue(transportsOption)!],
};
var options = new DiagnosticsOptions
{
    Namespace = parsed.GetValue(namespaceOption)!,
    Room = NoneIsNull(parsed.GetValue(roomOption)!),
    AckEvent = NoneIsNull(parsed.GetValue(ackOption)!),
    BinaryEvent = NoneIsNull(parsed.GetValue(binaryOption)!),
    StepTimeout = TimeSpan.FromSeconds(parsed.GetValue(timeoutOption)),
    CheckHeartbeat = !parsed.GetValue(noHeartbeatOption),
    CheckReconnect = !parsed.GetValue(noReconnectOption),
};
var token = parsed.GetValue(tokenOption) ?? Environment.GetEnvironmentVariable("BMS_TOKEN");
var json = parsed.GetValue(jsonOption);
var debug = parsed.GetValue(debugOption);
try
{
    clientOptions.Validate();
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return UsageExitCode;
}

if (token is not null)
{
    clientOptions.AccessTokenProvider = _ => ValueTask.FromResult<string?>(token);
}

clientOptions.Debug = debug;
using var loggerFactory = LoggerFactory.Create(builder =>
{
    builder.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(debug ? LogLevel.Trace : LogLevel.Warning);
    builder.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(_ => debug);
});
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var report = await WebSocketDiagnostics.RunAsync(clientOptions, options, loggerFactory, cancel.Token);
if (json)
{
    Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    }));
}
else
{
    Console.WriteLine(report);
}

return report.Succeeded ? 0 : 1;

static void MustBeAbsoluteUrl(OptionResult result)
{
    var value = result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;
    if (value is not null && !Uri.TryCreate(value, UriKind.Absolute, out _))
    {
        result.AddError($"--url needs an absolute URL, not '{value}'.");
    }
}

static void MustBePositive(OptionResult result)
{
    if (result.Tokens.Count > 0 && !(double.TryParse(result.Tokens[^1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0))
    {
        result.AddError($"--timeout needs a positive number of seconds, not '{result.Tokens[^1].Value}'.");
    }
}

static TransportKind[] ParseTransports(ArgumentResult result)
{
    var value = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
    var kinds = new List<TransportKind>();
    foreach (var name in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
    {
        if (!Enum.TryParse<TransportKind>(name, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
        {
            result.AddError($"--transports takes websocket and/or polling, not '{name}'.");
            return [];
        }

        kinds.Add(kind);
    }

    if (kinds.Count == 0)
    {
        result.AddError("--transports needs websocket, polling or polling,websocket.");
    }

    return [.. kinds];
}
