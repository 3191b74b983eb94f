using System.Text.Json;
using Bms.Server.Api;
using Bms.Server.Auth;
using Bms.Server.Data;
using Bms.Server.Events;
using Bms.Server.Routing.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bms.Server.Routing;

/// <summary>
/// <c>/api/routing</c> (admin): the configured room rules, and the webhooks — list, create, change (re-enable), delete,
/// send a signed test request, read the delivery log. Changes apply to the next event without a restart.
/// </summary>
internal static class RoutingEndpoints
{
    /// <summary>The event type of a test request.</summary>
    public const string TestEventType = "webhook:test";

    public static void MapRoutingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/routing").WithTags("Routing").RequireAuthorization(Policies.Admin);

        group.MapGet("/rules", (RoutingRules rules) => rules.All.Select(r => new RoutingRuleDto(
            r.Name, r.EventName, r.Filter is null ? null : JsonDocument.Parse(r.Filter.Json).RootElement.Clone(), r.Room, r.Namespaces)).ToList());

        group.MapGet("/webhooks", async (BmsDbContext db, CancellationToken ct) =>
        {
            var hooks = await db.Set<Webhook>().AsNoTracking().OrderBy(h => h.CreatedAt).ToListAsync(ct);
            var pending = await PendingCountsAsync(db, ct);
            return hooks.Select(h => h.ToDto(pending.GetValueOrDefault(h.Id))).ToList();
        });

        group.MapGet("/webhooks/{id:guid}", async (Guid id, BmsDbContext db, CancellationToken ct) =>
        {
            var hook = await FindAsync(db, id, ct);
            return hook.ToDto((await PendingCountsAsync(db, ct)).GetValueOrDefault(id));
        });

        group.MapPost("/webhooks", async (CreateWebhookRequest request, BmsDbContext db, WebhookQueue queue, IOptions<WebhookOptions> options,
            TimeProvider time, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            var name = CheckName(request.Name, errors);
            var url = CheckUrl(request.Url, options.Value, errors);
            var eventName = CheckEvent(request.Event, errors);
            var filter = eventName is null ? null : CheckFilter(eventName, request.Filter, errors);
            if (request.Secret is { Length: < 16 or > 200 })
            {
                errors["secret"] = ["The secret must be 16 to 200 characters (omit it to have one generated)."];
            }

            ThrowIfAny(errors);
            var now = time.GetUtcNow().UtcDateTime;
            var hook = new Webhook
            {
                Id = Guid.CreateVersion7(),
                Name = name!,
                Url = url!,
                Event = eventName!,
                Filter = filter,
                Secret = request.Secret ?? WebhookSignature.NewSecret(),
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Add(hook);
            await db.SaveChangesAsync(ct);
            queue.Invalidate();
            return TypedResults.Created($"/api/routing/webhooks/{hook.Id}", new CreatedWebhookDto(hook.ToDto(0), hook.Secret));
        });

        group.MapPut("/webhooks/{id:guid}", async (Guid id, UpdateWebhookRequest request, BmsDbContext db, WebhookQueue queue,
            IOptions<WebhookOptions> options, TimeProvider time, CancellationToken ct) =>
        {
            var hook = await FindAsync(db, id, ct, tracking: true);
            var errors = new Dictionary<string, string[]>();
            hook.Name = request.Name is null ? hook.Name : CheckName(request.Name, errors) ?? hook.Name;
            hook.Url = request.Url is null ? hook.Url : CheckUrl(request.Url, options.Value, errors) ?? hook.Url;
            hook.Event = request.Event is null ? hook.Event : CheckEvent(request.Event, errors) ?? hook.Event;
            if (request.Filter is not null || request.Event is not null)
            {
                var filterJson = request.Filter ?? (hook.Filter is null ? null : JsonDocument.Parse(hook.Filter).RootElement.Clone());
                hook.Filter = CheckFilter(hook.Event, filterJson, errors);
            }

            ThrowIfAny(errors);
            var now = time.GetUtcNow().UtcDateTime;
            var resumed = request.IsEnabled == true && !hook.IsEnabled;
            if (request.IsEnabled is { } enabled)
            {
                hook.IsEnabled = enabled;
                if (enabled)
                {
                    hook.ConsecutiveFailures = 0;
                    hook.DisabledAt = null;
                    hook.DisabledReason = null;
                }
            }

            hook.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
            if (resumed)
            {
                // The deliveries that waited while the hook was disabled go out now, not after their backoff.
                await db.Set<WebhookDelivery>().Where(d => d.WebhookId == id && d.Status == WebhookDeliveryStatus.Pending)
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, now), ct);
            }

            queue.Invalidate();
            queue.Signal();
            return hook.ToDto((await PendingCountsAsync(db, ct)).GetValueOrDefault(id));
        });

        group.MapDelete("/webhooks/{id:guid}", async (Guid id, BmsDbContext db, WebhookQueue queue, CancellationToken ct) =>
        {
            var hook = await FindAsync(db, id, ct, tracking: true);
            db.Remove(hook);
            await db.SaveChangesAsync(ct);
            queue.Invalidate();
            return TypedResults.NoContent();
        });

        group.MapPost("/webhooks/{id:guid}/test", async (Guid id, BmsDbContext db, WebhookSender sender, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
            TimeProvider time, CancellationToken ct) =>
        {
            var hook = await FindAsync(db, id, ct);
            var envelope = new EventEnvelope<object>(Guid.CreateVersion7().ToString(), TestEventType, time.GetUtcNow().UtcDateTime,
                new { webhookId = hook.Id, name = hook.Name });
            var payload = JsonSerializer.Serialize(envelope, json.Value.SerializerOptions);
            var result = await sender.SendAsync(hook.Url, hook.Secret, TestEventType, envelope.Id, Guid.Empty, payload, ct);
            return new WebhookTestResultDto(result.Ok, result.StatusCode, result.Error, result.DurationMs);
        });

        group.MapGet("/webhooks/{id:guid}/deliveries", async (Guid id, int? limit, string? status, BmsDbContext db, CancellationToken ct) =>
        {
            await FindAsync(db, id, ct);
            var query = db.Set<WebhookDelivery>().AsNoTracking().Where(d => d.WebhookId == id);
            query = status switch
            {
                null or "" => query,
                "pending" => query.Where(d => d.Status == WebhookDeliveryStatus.Pending),
                "delivered" => query.Where(d => d.Status == WebhookDeliveryStatus.Delivered),
                _ => throw ApiException.Validation("status", "status must be pending or delivered."),
            };
            var rows = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
                .Take(Math.Clamp(limit ?? 100, 1, 1000)).ToListAsync(ct);
            return rows.Select(d => d.ToDto()).ToList();
        });
    }

    private static async Task<Webhook> FindAsync(BmsDbContext db, Guid id, CancellationToken ct, bool tracking = false)
    {
        var query = tracking ? db.Set<Webhook>() : db.Set<Webhook>().AsNoTracking();
        return await query.SingleOrDefaultAsync(h => h.Id == id, ct) ?? throw ApiException.NotFound("The webhook");
    }

    private static async Task<Dictionary<Guid, int>> PendingCountsAsync(BmsDbContext db, CancellationToken ct) =>
        await db.Set<WebhookDelivery>().Where(d => d.Status == WebhookDeliveryStatus.Pending)
            .GroupBy(d => d.WebhookId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);

    private static string? CheckName(string? name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            errors["name"] = ["The name is required (at most 200 characters)."];
            return null;
        }

        return name.Trim();
    }

    private static string? CheckUrl(string? url, WebhookOptions options, Dictionary<string, string[]> errors)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || url!.Length > 2000
            || !(uri.Scheme == Uri.UriSchemeHttps || (options.AllowHttp && uri.Scheme == Uri.UriSchemeHttp)))
        {
            errors["url"] = [options.AllowHttp ? "The URL must be an absolute http or https URL." : "The URL must be an absolute https URL."];
            return null;
        }

        return uri.ToString();
    }

    private static string? CheckEvent(string? eventName, Dictionary<string, string[]> errors)
    {
        if (eventName is null || !EventFilter.KnownEvents.Contains(eventName))
        {
            errors["event"] = [$"The event must be one of: {string.Join(", ", EventFilter.KnownEvents)}."];
            return null;
        }

        return eventName;
    }

    private static string? CheckFilter(string eventName, JsonElement? filter, Dictionary<string, string[]> errors)
    {
        if (filter is not { ValueKind: not JsonValueKind.Null } json)
        {
            return null;
        }

        if (!EventFilter.TryParse(eventName, json, lenientNumbers: false, out var parsed, out var error))
        {
            errors["filter"] = [error!];
            return null;
        }

        return parsed!.Json;
    }

    private static void ThrowIfAny(Dictionary<string, string[]> errors)
    {
        if (errors.Count > 0)
        {
            throw ApiException.Validation(errors);
        }
    }
}
