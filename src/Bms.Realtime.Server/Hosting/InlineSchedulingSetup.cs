using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace Bms.Realtime.Server.Hosting;

/// <summary>
/// Applies <see cref="RealtimeServerOptions.InlineTransportScheduling"/> to Kestrel's socket transport
/// (<see cref="SocketTransportOptions.UnsafePreferInlineScheduling"/>). Registered by <c>AddBmsRealtime</c>.
/// </summary>
internal sealed class InlineSchedulingSetup(IOptions<RealtimeServerOptions> options) : IConfigureOptions<SocketTransportOptions>
{
    public void Configure(SocketTransportOptions transport)
    {
        if (options.Value.InlineTransportScheduling)
        {
            transport.UnsafePreferInlineScheduling = true;
        }
    }
}
