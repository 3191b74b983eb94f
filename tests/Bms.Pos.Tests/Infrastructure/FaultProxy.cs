using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bms.Pos.Tests.Infrastructure;

/// <summary>
/// A loopback TCP proxy in front of the backend that can cut a connection after the server processed a sync request
/// but before its answer reaches the terminal, and can slow answers down.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private static readonly byte[] SyncRequest = Encoding.ASCII.GetBytes("POST /api/pos/sync");

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int targetPort;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task acceptLoop;
    private int dropArmed;
    private int dropped;
    private int syncRequests;

    public FaultProxy(int targetPort)
    {
        this.targetPort = targetPort;
        listener.Start();
        acceptLoop = AcceptAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");

    /// <summary>Delay added before each chunk of a server answer is forwarded.</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>How many answers to sync requests were cut.</summary>
    public int DroppedResponses => Volatile.Read(ref dropped);

    /// <summary>How many <c>POST /api/pos/sync</c> requests passed through.</summary>
    public int SyncRequests => Volatile.Read(ref syncRequests);

    /// <summary>The next sync request reaches the server, but its connection is closed instead of forwarding the answer.</summary>
    public void DropNextSyncResponse() => Volatile.Write(ref dropArmed, 1);

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            _ = HandleAsync(client);
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using var _ = client;
        using var server = new TcpClient();
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, targetPort, stopping.Token);
        }
        catch (Exception)
        {
            return;
        }

        using var cut = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        var state = new ConnectionState();
        var up = PumpUpAsync(client.GetStream(), server.GetStream(), state, cut.Token);
        var down = PumpDownAsync(server.GetStream(), client.GetStream(), state, cut);
        await Task.WhenAny(up, down);
        await cut.CancelAsync();
        client.Client.Close(0);
        server.Client.Close(0);
    }

    private async Task PumpUpAsync(NetworkStream from, NetworkStream to, ConnectionState state, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    return;
                }

                if (buffer.AsSpan(0, read).IndexOf(SyncRequest) >= 0)
                {
                    Interlocked.Increment(ref syncRequests);
                    if (Interlocked.Exchange(ref dropArmed, 0) == 1)
                    {
                        state.DropResponse = true;
                    }
                }

                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A closed side ends the connection.
        }
    }

    private async Task PumpDownAsync(NetworkStream from, NetworkStream to, ConnectionState state, CancellationTokenSource cut)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, cut.Token);
                if (read == 0)
                {
                    return;
                }

                if (state.DropResponse)
                {
                    // The server has applied the batch and answered; the terminal never sees it.
                    Interlocked.Increment(ref dropped);
                    await cut.CancelAsync();
                    return;
                }

                if (ResponseDelay > TimeSpan.Zero)
                {
                    await Task.Delay(ResponseDelay, cut.Token);
                }

                await to.WriteAsync(buffer.AsMemory(0, read), cut.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A closed side ends the connection.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await acceptLoop.WaitAsync(TestTimeouts.Short);
        stopping.Dispose();
    }

    private sealed class ConnectionState
    {
        public volatile bool DropResponse;
    }
}
