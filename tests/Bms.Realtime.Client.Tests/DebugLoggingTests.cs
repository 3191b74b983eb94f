using System.Collections.Concurrent;
using Bms.Realtime.Client.Tests.Servers;
using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Client.Tests;

public sealed class DebugLoggingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task DebugModeLogsEveryPacketAtTraceAndStateTransitions()
    {
        await using var server = await NodeTestServer.StartAsync().WaitAsync(Wait);
        var provider = new ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));
        await using var client = WebSocketClientFactory.Create(new WebSocketClientOptions { Url = server.Url, Debug = true }, loggerFactory);
        var main = client.Of("/main");
        await main.ConnectAsync().WaitAsync(Wait);
        await main.EmitWithAckAsync<string>("echo", Wait, "traced").WaitAsync(Wait);

        var trace = provider.Messages.Where(m => m.Level == LogLevel.Trace).Select(m => m.Text).ToList();
        Assert.Contains(trace, t => t.Contains("2/main,0[\"echo\",\"traced\"]", StringComparison.Ordinal));
        Assert.Contains(trace, t => t.Contains("/main,0[\"traced\"]", StringComparison.Ordinal));
        Assert.Contains(provider.Messages, m => m.Level == LogLevel.Debug && m.Text.Contains("Connecting -> Connected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutDebugNoPacketIsLogged()
    {
        await using var server = await NodeTestServer.StartAsync().WaitAsync(Wait);
        var provider = new ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));
        await using var client = WebSocketClientFactory.Create(new WebSocketClientOptions { Url = server.Url }, loggerFactory);
        var main = client.Of("/main");
        await main.ConnectAsync().WaitAsync(Wait);
        await main.EmitWithAckAsync<string>("echo", Wait, "quiet").WaitAsync(Wait);
        Assert.DoesNotContain(provider.Messages, m => m.Text.Contains("quiet", StringComparison.Ordinal));
    }

    private sealed class ListLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Text)> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new ListLogger(this);

        public void Dispose()
        {
        }

        private sealed class ListLogger(ListLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Messages.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
