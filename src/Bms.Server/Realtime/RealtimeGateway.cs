using System.Runtime.CompilerServices;
using Bms.Realtime.Server.Namespaces;
using Bms.Server.Auth;
using Bms.Server.Events;
using Microsoft.Extensions.Options;

namespace Bms.Server.Realtime;

/// <summary>
/// Wires the backend's namespaces (<c>/main</c>, <c>/admin</c>, <c>/pos</c>) on the real-time server: token
/// authentication and namespace roles in middleware, connection rate limits, automatic <c>user:</c>/<c>terminal:</c>
/// and <c>role:</c> rooms, disconnect on token expiry, and the event pipeline (rate limit → size → authorization
/// table → handler). Singleton; <see cref="Configure"/> is called once at start.
/// </summary>
internal sealed partial class RealtimeGateway(
    RealtimeServer io,
    TokenService tokens,
    ConnectionRateLimiter connectionLimiter,
    RealtimeSecurityMetrics metrics,
    IOptions<BmsRealtimeOptions> options,
    DomainEventPublisher events,
    TerminalStatusBoard terminalStatus,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<RealtimeGateway> logger,
    Routing.EventSubscriptions subscriptions)
{
    private readonly ConditionalWeakTable<RealtimeSocket, BmsPrincipal> authenticated = [];
    private readonly ConditionalWeakTable<RealtimeSocket, SocketSession> sessions = [];

    /// <summary>Registers middleware and connection handlers on the three namespaces.</summary>
    public void Configure()
    {
        foreach (var name in RealtimeNamespaces.All)
        {
            io.Of(name).Use(AuthenticateAsync).OnConnection(OnConnected);
        }
    }

    /// <summary>The session of a connected socket (tests and diagnostics).</summary>
    internal bool TryGetSession(RealtimeSocket socket, out SocketSession? session) => sessions.TryGetValue(socket, out session);

    private async ValueTask AuthenticateAsync(RealtimeSocket socket, CancellationToken cancellationToken)
    {
        var nsp = socket.Namespace.Name;
        var address = socket.Handshake.Address?.ToString() ?? "unknown";
        if (!connectionLimiter.TryAcquireForIp(address))
        {
            metrics.RateLimited(nsp, "connections_ip");
            Log.ConnectionRateLimited(logger, nsp, address);
            throw Rejected("rate_limited");
        }

        var check = await tokens.ValidateAsync(FindToken(socket.Handshake));
        if (check.Principal is not { } principal)
        {
            var reason = check.Failure == TokenFailure.Expired ? "token_expired" : "unauthorized";
            metrics.AuthFailed(nsp, reason);
            Log.AuthFailed(logger, nsp, reason, address);
            throw Rejected(reason);
        }

        if (!RealtimeNamespaces.MayConnect(nsp, principal.Roles))
        {
            metrics.AuthFailed(nsp, "forbidden");
            Log.NamespaceForbidden(logger, nsp, principal.Actor);
            throw Rejected("forbidden");
        }

        if (!connectionLimiter.TryAcquireForUser(principal.Actor))
        {
            metrics.RateLimited(nsp, "connections_user");
            Log.ConnectionRateLimited(logger, nsp, principal.Actor);
            throw Rejected("rate_limited");
        }

        socket.Data["user"] = new Dictionary<string, object?>
        {
            ["kind"] = principal.Kind,
            ["id"] = principal.Id,
            ["name"] = principal.Name,
            ["roles"] = principal.Roles.Order(StringComparer.Ordinal).ToArray(),
            ["storeIds"] = principal.StoreIds.Order().ToArray(),
        };
        authenticated.AddOrUpdate(socket, principal);
    }

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
        ScheduleExpiry(socket, session);
        Log.Connected(logger, socket.Namespace.Name, socket.Id, principal.Actor);
    }

    private void ScheduleExpiry(RealtimeSocket socket, SocketSession session)
    {
        if (session.Principal.ExpiresAt is not { } expires)
        {
            session.SetExpiryTimer(null);
            return;
        }

        var due = expires - time.GetUtcNow().UtcDateTime;
        if (due < TimeSpan.Zero)
        {
            due = TimeSpan.Zero;
        }

        session.SetExpiryTimer(time.CreateTimer(_ => _ = ExpireAsync(socket, session), null, due, Timeout.InfiniteTimeSpan));
    }

    private async Task ExpireAsync(RealtimeSocket socket, SocketSession session)
    {
        try
        {
            if (session.Principal.ExpiresAt is { } expires && expires > time.GetUtcNow().UtcDateTime)
            {
                // A timer may fire a little early (or the token was refreshed meanwhile): wait for the real expiry.
                ScheduleExpiry(socket, session);
                return;
            }

            metrics.ForcedDisconnect(socket.Namespace.Name, "token_expired");
            Log.TokenExpired(logger, socket.Namespace.Name, socket.Id, session.Principal.Actor);
            // Tell the client why before the DISCONNECT, so it refreshes its token instead of retrying blindly.
            await socket.EmitAsync("error", new { code = "token_expired", message = "The access token has expired." });
            await socket.DisconnectAsync();
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(logger, socket.Namespace.Name, "token-expiry", ex);
        }
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
