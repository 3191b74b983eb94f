using System.Net;
using System.Net.Sockets;

namespace Bms.Pos.Tests.Infrastructure;

internal static class FreePort
{
    /// <summary>A loopback port that was free a moment ago (bound to port 0, then released).</summary>
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
