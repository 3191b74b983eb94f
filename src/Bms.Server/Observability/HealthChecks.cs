using System.Text.Json;
using Bms.Realtime.Server.Redis;
using Bms.Server.Auth;
using Bms.Server.Cluster;
using Bms.Server.Data.Postgres;
using Bms.Server.Data;
using Bms.Server.Realtime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bms.Server.Observability;

/// <summary>Ready when the database answers (SQLite file or PostgreSQL server).</summary>
internal sealed class DatabaseHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BmsDbContext>();
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy($"{db.Database.ProviderName} reachable")
                : HealthCheckResult.Unhealthy($"{db.Database.ProviderName} unreachable");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("database check failed", ex);
        }
    }
}

/// <summary>
/// Redis: Healthy when connected and answering; Degraded (HTTP 200) while unreachable or hung (its PING heartbeat
/// unanswered), because the node still serves its own sockets and a load balancer should not drop every node when
/// Redis alone fails. The reason and last error are in the body for admins.
/// </summary>
internal sealed class RedisHealthCheck(RedisConnection connection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["endpoint"] = connection.Endpoint,
        };
        if (connection.LastError is { } error)
        {
            data["lastError"] = error;
            data["lastErrorAt"] = connection.LastErrorAt?.ToString("O") ?? string.Empty;
        }

        return Task.FromResult(connection.IsConnected
            ? HealthCheckResult.Healthy("Redis connected", data)
            : HealthCheckResult.Degraded(
                connection.IsUnresponsive
                    ? "Redis not answering (hung): cross-node delivery is paused, local sockets are served"
                    : "Redis unreachable: cross-node delivery is paused, local sockets are served",
                data: data));
    }
}

/// <summary>
/// Writes a health report as JSON. Anonymous and non-admin callers get the status only:
/// <c>{status, checks: {name: {status}}}</c>; an admin's access token adds each check's description, error message and
/// data (addresses, last errors), which must not leak to the public.
/// </summary>
internal static class HealthResponseWriter
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
        var details = context.User.Identity?.IsAuthenticated == true
            && (await authorization.AuthorizeAsync(context.User, Policies.Admin)).Succeeded;
        object body = details
            ? new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => (object)new
                {
                    status = e.Value.Status.ToString(),
                    description = e.Value.Description,
                    error = e.Value.Exception?.Message,
                    data = e.Value.Data,
                }),
            }
            : new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => (object)new { status = e.Value.Status.ToString() }),
            };
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
