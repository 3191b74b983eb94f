using System.Text.Json;
using Bms.Realtime.Server.Redis;
using Bms.Server.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bms.Server.Scale;

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
/// unanswered), because the node still serves its own sockets
/// and a load balancer should not drop every node when Redis alone fails. The reason and last error are in the body.
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

/// <summary>Writes a health report as JSON: <c>{status, checks: {name: {status, description, data}}}</c>.</summary>
internal static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                error = e.Value.Exception?.Message,
                data = e.Value.Data,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
