namespace Bms.Realtime.Client.Tests.Servers;

/// <summary>A real server the client tests run against: the official Node socket.io server or our own, in-process.</summary>
public interface ITestServer : IAsyncDisposable
{
    /// <summary>The base URL (<c>http://127.0.0.1:port</c>).</summary>
    Uri Url { get; }

    /// <summary>True when <see cref="FreezeAsync"/> can stop the server process (SIGSTOP).</summary>
    bool CanFreeze { get; }

    /// <summary>Stops the server (connections are dropped without Socket.IO DISCONNECT packets).</summary>
    Task StopAsync();

    /// <summary>Starts it again on the same port.</summary>
    Task StartAsync();

    /// <summary>Freezes the process (SIGSTOP): TCP stays open, nothing is answered.</summary>
    Task FreezeAsync();

    /// <summary>Resumes a frozen process (SIGCONT).</summary>
    Task ThawAsync();
}

/// <summary>Server options the tests vary.</summary>
/// <param name="PingInterval">Engine.IO pingInterval; server default when null.</param>
/// <param name="PingTimeout">Engine.IO pingTimeout; server default when null.</param>
/// <param name="RefuseHandshake">Our server only: refuse every Engine.IO handshake with HTTP 403.</param>
public sealed record TestServerOptions(TimeSpan? PingInterval = null, TimeSpan? PingTimeout = null, bool RefuseHandshake = false);
