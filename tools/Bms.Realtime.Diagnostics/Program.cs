using System.Globalization;
using System.Text.Json;
using Bms.Realtime.Client;
using Bms.Realtime.Client.Diagnostics;
using Microsoft.Extensions.Logging;

// Checks a live real-time installation and prints a report. Exit code 0 when every step passed, 1 otherwise, 2 on usage errors.
const string Usage = """
    bms-realtime-diag [--url http://host:3001] [options]

      --url URL            server URL (default: BMS_WS_URL, else BMS_API_URL, else http://127.0.0.1:3001)
      --token TOKEN        access token sent as auth.token (default: BMS_TOKEN)
      --namespace NSP      namespace to authenticate on (default /main)
      --room ROOM          room to join and leave (default product:1; "none" skips)
      --ack-event NAME     event the server acks with its argument (default echo; "none" skips)
      --binary-event NAME  event the server acks with the bytes it got (default echo-binary; "none" skips)
      --transports LIST    websocket | polling | polling,websocket (default websocket)
      --timeout SECONDS    per-step limit (default 10)
      --no-heartbeat       do not wait for a server ping
      --no-reconnect       do not force a reconnect
      --json               print the report as JSON
      --debug              log every packet to stderr
    """;

// The BMS defaults: BMS_WS_URL, else BMS_API_URL, else the backend's default address.
var clientOptions = new WebSocketClientOptions
{
    Url = new Uri(new[] { Environment.GetEnvironmentVariable("BMS_WS_URL"), Environment.GetEnvironmentVariable("BMS_API_URL") }
        .FirstOrDefault(u => !string.IsNullOrWhiteSpace(u)) ?? "http://127.0.0.1:3001"),
};
var options = new DiagnosticsOptions();
var token = Environment.GetEnvironmentVariable("BMS_TOKEN");
var json = false;
var debug = false;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        string? NoneIsNull(string value) => value == "none" ? null : value;
        switch (args[i])
        {
            case "--url": clientOptions.Url = new Uri(Next()); break;
            case "--token": token = Next(); break;
            case "--namespace": options.Namespace = Next(); break;
            case "--room": options.Room = NoneIsNull(Next()); break;
            case "--ack-event": options.AckEvent = NoneIsNull(Next()); break;
            case "--binary-event": options.BinaryEvent = NoneIsNull(Next()); break;
            case "--transports":
                clientOptions.Transports = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(t => Enum.Parse<TransportKind>(t, ignoreCase: true))];
                break;
            case "--timeout": options.StepTimeout = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
            case "--no-heartbeat": options.CheckHeartbeat = false; break;
            case "--no-reconnect": options.CheckReconnect = false; break;
            case "--json": json = true; break;
            case "--debug": debug = true; break;
            case "-h" or "--help": Console.WriteLine(Usage); return 0;
            default: throw new ArgumentException($"unknown option {args[i]}");
        }
    }

    clientOptions.Validate();
}
catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine(Usage);
    return 2;
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
