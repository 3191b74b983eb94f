using System.Runtime.CompilerServices;
using Bms.Realtime.Server.Namespaces;
using Bms.Server.Auth;
using Bms.Server.Events;
using Bms.Server.RealtimeAuthorization;
using Microsoft.Extensions.Options;

namespace Bms.Server.Realtime;

/// <summary>
/// Wires the backend's namespaces (<c>/main</c>, <c>/admin</c>, <c>/pos</c>) on the real-time server: token
/// authentication and namespace roles in middleware, connection rate limits, automatic <c>user:</c>/<c>terminal:</c>
/// and <c>role:</c> rooms, disconnect on token expiry, disconnect of a user's sockets on every node when the user's
/// security stamp changes, and the event pipeline (rate limit → size → authorization table → handler). Singleton;
/// <see cref="Configure"/> is called once at start.
/// </summary>
internal sealed partial class RealtimeGateway(
    RealtimeServer io,
    TokenService tokens,
    SecurityStampCache stamps,
    ConnectionRateLimiter connectionLimiter,
    RealtimeSecurityMetrics metrics,
    TokenExpiry tokenExpiry,
    IOptions<BmsRealtimeOptions> options,
    DomainEventPublisher events,
    TerminalStatusBoard terminalStatus,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<RealtimeGateway> logger,
    Routing.EventSubscriptions subscriptions,
    EventFlow.EventFlowMonitor eventFlow)
{
    private readonly ConditionalWeakTable<RealtimeSocket, BmsPrincipal> authenticated = [];
    private readonly ConditionalWeakTable<RealtimeSocket, SocketSession> sessions = [];

    /// <summary>
    /// Registers middleware and connection handlers on the three namespaces. Any other namespace that exists (the
    /// default <c>/</c> when the server was configured to create it) gets the same middleware, which refuses every
    /// connection to it: no namespace is ever served without authentication and the limits.
    /// </summary>
    public void Configure()
    {
        foreach (var name in RealtimeNamespaces.All)
        {
            io.Of(name).Use(AuthenticateAsync).OnConnection(OnConnected);
        }

        foreach (var (name, nsp) in io.Namespaces)
        {
            if (!RealtimeNamespaces.All.Contains(name))
            {
                nsp.Use(AuthenticateAsync).OnConnection(OnConnected);
            }
        }

        stamps.OnRevoked(RevokeUserAsync);
        io.Of(RealtimeNamespaces.Main).OnServerSideEmit(OnServerSideEmitAsync);
    }

    /// <summary>The session of a connected socket (tests and diagnostics).</summary>
    internal bool TryGetSession(RealtimeSocket socket, out SocketSession? session) => sessions.TryGetValue(socket, out session);

    private async ValueTask AuthenticateAsync(RealtimeSocket socket, CancellationToken cancellationToken)
    {
        var nsp = socket.Namespace.Name;
        var address = connectionLimiter.ClientAddress(socket.Handshake);
        var check = await tokens.ValidateAsync(FindToken(socket.Handshake), cancellationToken);
        if (check.Principal is not { } principal)
        {
            var reason = FailureCode(check.Failure);
            metrics.AuthFailed(nsp, reason);
            Log.AuthFailed(logger, nsp, reason, address);
            throw Rejected(ChargeFailure(nsp, address) ? reason : "rate_limited");
        }

        if (!RealtimeNamespaces.MayConnect(nsp, principal.Roles))
        {
            metrics.AuthFailed(nsp, "forbidden");
            Log.NamespaceForbidden(logger, nsp, principal.Actor);
            throw Rejected(ChargeFailure(nsp, address) ? "forbidden" : "rate_limited");
        }

        if (!connectionLimiter.TryAcquireForUser(principal.Actor))
        {
            metrics.RateLimited(nsp, "connections_user");
            Log.ConnectionRateLimited(logger, nsp, principal.Actor);
            throw Rejected("rate_limited");
        }

        SetUserData(socket, principal);
        authenticated.AddOrUpdate(socket, principal);
    }

    /// <summary>The <c>user</c> entry of <c>socket.Data</c> (read by the cluster socket listing).</summary>
    private static void SetUserData(RealtimeSocket socket, BmsPrincipal principal) =>
        socket.Data["user"] = new Dictionary<string, object?>
        {
            ["kind"] = principal.Kind,
            ["id"] = principal.Id,
            ["name"] = principal.Name,
            ["roles"] = principal.Roles.Order(StringComparer.Ordinal).ToArray(),
            ["storeIds"] = principal.StoreIds.Order().ToArray(),
        };

    private static string FailureCode(TokenFailure failure) => failure switch
    {
        TokenFailure.Expired => "token_expired",
        TokenFailure.Revoked => "token_revoked",
        _ => "unauthorized",
    };

    private void OnConnected(RealtimeSocket socket)
    {
        if (!authenticated.TryGetValue(socket, out var principal))
        {
            // Not possible while the middleware runs first; refuse rather than serve an anonymous socket.
            _ = socket.DisconnectAsync().AsTask();
            return;
        }

        authenticated.Remove(socket);
        var session = new SocketSession(principal, options.Value);
        sessions.AddOrUpdate(socket, session);
        socket.Join(principal.IsTerminal ? $"terminal:{principal.Id}" : $"user:{principal.Id}");
        foreach (var role in principal.Roles)
        {
            socket.Join($"role:{role}");
        }

        socket.OnAny(e => DispatchAsync(e, session));
        socket.OnDisconnect(_ =>
        {
            session.Dispose();
            sessions.Remove(socket);
        });
        tokenExpiry.Schedule(socket, session);
        Log.Connected(logger, socket.Namespace.Name, socket.Id, principal.Actor);
    }

    /// <summary>
    /// Charges a failed or refused attempt to the client address (its own bucket: valid users are charged per user);
    /// false when the address is over its limit.
    /// </summary>
    private bool ChargeFailure(string nsp, string address)
    {
        if (connectionLimiter.TryAcquireFailureForIp(address))
        {
            return true;
        }

        metrics.RateLimited(nsp, "connections_ip");
        Log.ConnectionRateLimited(logger, nsp, address);
        return false;
    }

    private static string? FindToken(SocketHandshake handshake)
    {
        if (handshake.GetAuthString("token") is { Length: > 0 } fromAuth)
        {
            return fromAuth;
        }

        if (handshake.Headers.TryGetValue("Authorization", out var header)
            && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        return handshake.Query.TryGetValue("token", out var fromQuery) && fromQuery.Length > 0 ? fromQuery : null;
    }

    private static ConnectionRejectedException Rejected(string code) => new(code, new { code });
}
