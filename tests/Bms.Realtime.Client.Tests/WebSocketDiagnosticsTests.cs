using Bms.Realtime.Client.Diagnostics;
using Bms.Realtime.Client.Tests.Servers;

namespace Bms.Realtime.Client.Tests;

public sealed class WebSocketDiagnosticsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Servers => new() { "node", "realtime" };

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task EveryStepPassesAgainstAHealthyServer(string kind)
    {
        var serverOptions = new TestServerOptions(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1000));
        await using ITestServer server = kind == "node"
            ? await NodeTestServer.StartAsync(serverOptions).WaitAsync(Wait)
            : await RealtimeTestServer.StartAsync(serverOptions).WaitAsync(Wait);

        var report = await WebSocketDiagnostics.RunAsync(
            new WebSocketClientOptions { Url = server.Url, AccessTokenProvider = _ => ValueTask.FromResult<string?>("valid-diag") },
            new DiagnosticsOptions { Namespace = "/secure", Room = "store:1" }).WaitAsync(Wait);

        Assert.True(report.Succeeded, report.ToString());
        Assert.Equal(
            ["connect", "authenticate", "join room", "ack round trip", "binary round trip", "heartbeat", "reconnect", "leave room"],
            report.Steps.Select(s => s.Name));
        Assert.All(report.Steps, s => Assert.Equal(DiagnosticStepStatus.Passed, s.Status));
        Assert.Equal(1, report.Statistics!.ReconnectCount);
        Assert.Contains("Result: OK", report.ToString());
    }

    [Fact]
    public async Task ARefusedTokenFailsAuthenticationAndSkipsTheStepsThatNeedIt()
    {
        await using var server = await NodeTestServer.StartAsync().WaitAsync(Wait);
        var report = await WebSocketDiagnostics.RunAsync(
            new WebSocketClientOptions { Url = server.Url, AccessTokenProvider = _ => ValueTask.FromResult<string?>("forged") },
            new DiagnosticsOptions { Namespace = "/secure" }).WaitAsync(Wait);

        Assert.False(report.Succeeded);
        Assert.Equal(DiagnosticStepStatus.Passed, report["connect"]!.Status);
        Assert.Equal(DiagnosticStepStatus.Failed, report["authenticate"]!.Status);
        Assert.Equal("unauthorized", report["authenticate"]!.Detail);
        Assert.Equal(DiagnosticStepStatus.Skipped, report["ack round trip"]!.Status);
    }

    [Fact]
    public async Task AnUnreachableServerFailsTheConnectStep()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var report = await WebSocketDiagnostics.RunAsync(
            new WebSocketClientOptions { Url = new Uri($"http://127.0.0.1:{port}"), ReconnectionAttempts = 1, ReconnectionDelay = TimeSpan.FromMilliseconds(50) },
            new DiagnosticsOptions { StepTimeout = TimeSpan.FromSeconds(3) }).WaitAsync(Wait);

        Assert.False(report.Succeeded);
        Assert.Equal(DiagnosticStepStatus.Failed, report["connect"]!.Status);
        Assert.All(report.Steps.Skip(1), s => Assert.Equal(DiagnosticStepStatus.Skipped, s.Status));
    }
}
