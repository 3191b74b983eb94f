using Bms.Realtime.Client.Tests.Servers;

namespace Bms.Realtime.Client.Tests;

/// <summary>The client against our Bms.Realtime.Server hosted in-process on Kestrel.</summary>
public sealed class RealtimeServerClientTests : ClientBehaviourTests
{
    protected override async Task<ITestServer> StartServerAsync(TestServerOptions? options = null) =>
        await RealtimeTestServer.StartAsync(options);

    [Fact]
    public async Task ASocketDisconnectedBecauseItsTokenExpiredReconnectsWithAFreshToken()
    {
        await using var server = await StartServerAsync().WaitAsync(Wait);
        var calls = 0;
        await using var client = NewClient(server.Url, o =>
            o.AccessTokenProvider = _ => ValueTask.FromResult<string?>("valid-" + Interlocked.Increment(ref calls)));
        var secure = client.Of("/secure");
        var tokens = new Collector<string>();
        var reasons = new Collector<ClientDisconnectReason>();
        secure.On<System.Text.Json.JsonElement>("auth", a => tokens.Add(a.GetProperty("token").GetString()!));
        secure.Disconnected += (_, r) => reasons.Add(r);
        await secure.ConnectAsync().WaitAsync(Wait);
        Assert.Equal("valid-1", await tokens.NextAsync(Wait));

        await secure.EmitAsync("expire-me").AsTask().WaitAsync(Wait);
        Assert.Equal(ClientDisconnectReason.IoServerDisconnect, await reasons.NextAsync(Wait));
        Assert.Equal("valid-2", await tokens.NextAsync(Wait));
        Assert.True(secure.IsConnected);
        Assert.Equal(ConnectionState.Connected, client.State);
        Assert.Equal(2, await secure.EmitWithAckAsync<int>("echo", Wait, 2).WaitAsync(Wait));
    }

    [Theory]
    [InlineData(TransportKind.WebSocket)]
    [InlineData(TransportKind.Polling)]
    public async Task AHandshakeRefusedWithHttp403RaisesAuthenticationFailedWithoutRetrying(TransportKind transport)
    {
        await using var server = await StartServerAsync(new TestServerOptions(RefuseHandshake: true)).WaitAsync(Wait);
        await using var client = NewClient(server.Url, o => o.Transports = [transport]);
        var failures = new Collector<AuthenticationFailedEventArgs>();
        var attempts = new Collector<ReconnectAttemptEventArgs>();
        client.AuthenticationFailed += (_, e) => failures.Add(e);
        client.ReconnectAttempt += (_, e) => attempts.Add(e);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.ConnectAsync()).WaitAsync(Wait);
        var failure = await failures.NextAsync(Wait);
        Assert.Null(failure.Namespace);
        Assert.Equal(403, failure.Error.HttpStatusCode);
        Assert.Equal(ConnectionState.Error, client.State);
        Assert.Equal(ClientDisconnectReason.AuthenticationFailed, client.LastDisconnectReason);
        // No retry within twice the longest reconnection delay the client is configured with (500 ms).
        Assert.True(await attempts.StaysEmptyAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(ConnectionState.Error, client.State);
    }
}
