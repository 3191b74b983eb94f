using Bms.Pos;
using Bms.Pos.Storage;
using Bms.Pos.Terminal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

if (TerminalArguments.Parse(args, out var parseExitCode) is not { } arguments)
{
    // --help, or a usage error (EX_USAGE) already reported on stderr.
    return parseExitCode;
}

if (arguments.SelfTest)
{
    return await SelfTestCommand.RunAsync(arguments);
}

using var loggerFactory = arguments.Verbose
    ? LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Debug)
        .AddFilter("Bms.Realtime", LogLevel.Information))
    : NullLoggerFactory.Instance;
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

try
{
    await using var services = new ServiceCollection().AddSingleton(loggerFactory).AddBmsPos(arguments.Configure).Services.BuildServiceProvider();
    services.GetRequiredService<IStartupValidator>().Validate();
    // Before either mode touches it: a damaged data file is refused as it is, never opened for writing.
    await SqliteSyncStore.VerifyFileAsync(services.GetRequiredService<IOptions<PosOptions>>().Value.DataPath, cts.Token);
    var pos = services.GetRequiredService<PosWebSocketService>();
    return arguments.IsBatch
        ? await BatchCommands.RunAsync(pos, arguments, cts.Token)
        : await TerminalScreen.RunAsync(pos, cts.Token);
}
catch (OperationCanceledException) when (cts.IsCancellationRequested)
{
    return 130;
}
catch (Exception ex) when (ex is PosDataFileException or SqliteException)
{
    // EX_DATAERR: the data file cannot be used; nothing was written to it.
    var message = ex is PosDataFileException ? ex.Message : $"The data file cannot be used: {ex.Message}";
    if (arguments.IsBatch)
    {
        BatchCommands.Write(new { @event = "error", code = "data_file_damaged", message });
    }
    else
    {
        Console.Error.WriteLine(message);
    }

    return 65;
}
catch (Exception ex) when (ex is InvalidOperationException or Bms.Pos.Sync.PosApiException or ArgumentException
    or OptionsValidationException or HttpRequestException or TimeoutException)
{
    var message = ex is HttpRequestException or TimeoutException
        ? $"Cannot reach the server at {arguments.Server} ({ex.Message}); the first start of a terminal needs it."
        : ex.Message;
    if (arguments.IsBatch)
    {
        BatchCommands.Write(new { @event = "error", message });
    }
    else
    {
        Console.Error.WriteLine(message);
    }

    return 1;
}
