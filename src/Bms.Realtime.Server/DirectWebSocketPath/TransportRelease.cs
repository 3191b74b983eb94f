using System.Net.Sockets;

namespace Bms.Realtime.Server.DirectWebSocketPath;

/// <summary>
/// Lets go of a WebSocket session's TCP connection when the session ends, so that no connection stays ESTABLISHED
/// (with its file descriptor and a full kernel send queue) behind a client that stopped reading. A session that ended
/// uncleanly (queue overflow, ping timeout, transport or protocol error) has its connection reset at once (RST, the
/// kernel drops what is still queued). After a clean end (the client closed, or the server's close frame was written)
/// the connection closes gracefully, but is reset if it is still open after <see cref="CleanCloseGrace"/>.
/// Thread-safe.
/// </summary>
internal static class TransportRelease
{
    /// <summary>How long a cleanly ended session's connection may take to close gracefully before it is reset.</summary>
    internal static readonly TimeSpan CleanCloseGrace = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Releases the connection of a session that ended. <paramref name="abort"/> aborts it through its owner (Kestrel's
    /// connection or request), so the owner's state is freed too; it may run after the owner is done with it.
    /// </summary>
    public static void Release(Socket? socket, bool clean, Action abort, TimeProvider time)
    {
        if (!clean)
        {
            Reset(socket, abort);
            return;
        }

        if (socket is not null)
        {
            _ = ResetLaterAsync(socket, abort, time);
        }
    }

    private static async Task ResetLaterAsync(Socket socket, Action abort, TimeProvider time)
    {
        await Task.Delay(CleanCloseGrace, time).ConfigureAwait(false);
        Reset(socket, abort);
    }

    private static void Reset(Socket? socket, Action abort)
    {
        try
        {
            // Linger zero: close sends RST and discards the unsent data instead of waiting for a reader that is gone.
            socket?.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
            // Already closed by its owner: nothing left to release.
            return;
        }

        try
        {
            abort();
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
        {
            // The owner finished meanwhile.
        }

        try
        {
            socket?.Dispose();
        }
        catch (ObjectDisposedException)
        {
            // Disposed by its owner.
        }
    }
}
