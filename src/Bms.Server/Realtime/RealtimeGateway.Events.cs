using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bms.Realtime.Protocol;
using Bms.Server.Api;
using Bms.Server.Auth;
using Bms.Server.Events;
using Bms.Server.Services;
using Bms.Realtime.Server.Namespaces;

namespace Bms.Server.Realtime;

internal sealed partial class RealtimeGateway
{
    private async ValueTask DispatchAsync(SocketEvent e, SocketSession session)
    {
        var nsp = e.Socket.Namespace.Name;
        using (var lease = session.EventLimiter.AttemptAcquire())
        {
            if (!lease.IsAcquired)
            {
                await ViolationAsync(e, session, "events");
                return;
            }
        }

        if (PayloadBytes(e.Args) > options.Value.MaxEventPayloadBytes)
        {
            await ViolationAsync(e, session, "payload");
            return;
        }

        if (!EventAuthorizationTable.IsAllowed(nsp, e.Name, session.Principal.Roles))
        {
            metrics.EventRefused(nsp, e.Name);
            Log.EventRefused(logger, nsp, e.Name, session.Principal.Actor);
            await ReplyErrorAsync(e, "forbidden");
            return;
        }

        try
        {
            await (e.Name switch
            {
                ClientEvents.RoomJoin => RoomAsync(e, session, join: true),
                ClientEvents.RoomLeave => RoomAsync(e, session, join: false),
                ClientEvents.Ping => e.AckAsync(new { ok = true, time = time.GetUtcNow().UtcDateTime }),
                ClientEvents.SyncStatus => SyncStatusAsync(e, session),
                ClientEvents.NotificationSend => NotificationAsync(e, session),
                ClientEvents.AuthRefresh => RefreshAsync(e, session),
                _ => ReplyErrorAsync(e, "forbidden"),
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.HandlerFailed(logger, nsp, e.Name, ex);
            await e.AckAsync(new { ok = false, error = "internal_error" });
        }
    }

    private async ValueTask ViolationAsync(SocketEvent e, SocketSession session, string kind)
    {
        var nsp = e.Socket.Namespace.Name;
        metrics.RateLimited(nsp, kind);
        await e.AckAsync(new { ok = false, error = "rate_limited" });
        await e.Socket.EmitAsync("error", new { code = "rate_limited", kind, @event = e.Name });
        var count = session.AddViolation(time.GetUtcNow(), options.Value.ViolationWindow);
        if (count >= options.Value.ViolationsBeforeDisconnect && e.Socket.Connected)
        {
            metrics.ForcedDisconnect(nsp, "abuse");
            Log.AbuseDisconnect(logger, nsp, e.Socket.Id, session.Principal.Actor, count);
            await e.Socket.DisconnectAsync();
        }
    }

    /// <summary>An error ack when the client asked for one, else an <c>error</c> event naming the refused event.</summary>
    private static async ValueTask ReplyErrorAsync(SocketEvent e, string error)
    {
        if (e.HasAck)
        {
            await e.AckAsync(new { ok = false, error });
        }
        else
        {
            await e.Socket.EmitAsync("error", new { code = error, @event = e.Name });
        }
    }

    private static ValueTask RoomAsync(SocketEvent e, SocketSession session, bool join)
    {
        var room = e.Args.Count > 0 && e.Args.GetRaw(0).ValueKind == JsonValueKind.String ? e.Args.GetRaw(0).GetString() : null;
        if (RoomAuthorizer.Check(session.Principal, room) is { } error)
        {
            return e.AckAsync(new { ok = false, error });
        }

        if (join)
        {
            e.Socket.Join(room!);
        }
        else
        {
            e.Socket.Leave(room!);
        }

        return e.AckAsync(new { ok = true });
    }

    private async ValueTask SyncStatusAsync(SocketEvent e, SocketSession session)
    {
        if (e.Args.Count == 0 || e.Args.GetRaw(0).ValueKind != JsonValueKind.Object
            || JsonNode.Parse(e.Args.GetRaw(0).GetRawText()) is not JsonObject data)
        {
            await e.AckAsync(new { ok = false, error = "invalid_payload" });
            return;
        }

        var principal = session.Principal;
        var terminalId = principal.IsTerminal ? principal.Id : (data["terminalId"] as JsonValue)?.ToString();
        var storeId = principal.StoreIds.Count == 1 ? principal.StoreIds.First() : (int?)null;
        if (data["storeId"] is JsonValue storeValue && storeValue.TryGetValue<int>(out var claimed) && principal.CanAccessStore(claimed))
        {
            storeId = claimed;
        }

        if (storeId is null)
        {
            await e.AckAsync(new { ok = false, error = "invalid_payload" });
            return;
        }

        // The server stamps who reported and when; a client cannot speak for another terminal or store.
        data["terminalId"] = terminalId;
        data["storeId"] = storeId;
        data["reportedBy"] = principal.Actor;
        data["reportedAt"] = time.GetUtcNow().UtcDateTime;
        if (terminalId is not null)
        {
            terminalStatus.Report(terminalId, data);
        }

        await events.PublishAsync(RealtimeEventNames.SyncStatus, data, EventRoute.Store(storeId.Value));
        await e.AckAsync(new { ok = true });
    }

    private async ValueTask NotificationAsync(SocketEvent e, SocketSession session)
    {
        SendNotificationRequest? request = null;
        if (e.Args.Count > 0 && e.Args.GetRaw(0).ValueKind == JsonValueKind.Object)
        {
            request = e.Args.GetRaw(0).Deserialize<SendNotificationRequest>(JsonSerializerOptions.Web);
        }

        if (request is null)
        {
            await e.AckAsync(new { ok = false, error = "invalid_payload" });
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        try
        {
            var sent = await scope.ServiceProvider.GetRequiredService<NotificationService>().SendAsync(session.Principal, request, default);
            await e.AckAsync(new { ok = true, id = sent.Id });
        }
        catch (ApiException ex)
        {
            await e.AckAsync(new { ok = false, error = "invalid_payload", errors = ex.Errors });
        }
    }

    private async ValueTask RefreshAsync(SocketEvent e, SocketSession session)
    {
        var raw = e.Args.Count > 0 ? e.Args.GetRaw(0) : default;
        var token = raw.ValueKind switch
        {
            JsonValueKind.String => raw.GetString(),
            JsonValueKind.Object when raw.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String => t.GetString(),
            _ => null,
        };
        var check = await tokens.ValidateAsync(token);
        if (check.Principal is not { } principal)
        {
            await e.AckAsync(new { ok = false, error = check.Failure == TokenFailure.Expired ? "token_expired" : "unauthorized" });
            return;
        }

        if (principal.Kind != session.Principal.Kind || principal.Id != session.Principal.Id)
        {
            await e.AckAsync(new { ok = false, error = "forbidden" });
            return;
        }

        session.Principal = principal;
        ScheduleExpiry(e.Socket, session);
        await e.AckAsync(new { ok = true, expiresAt = principal.ExpiresAt });
    }

    private static long PayloadBytes(EventArguments args)
    {
        long total = 0;
        for (var i = 0; i < args.Count; i++)
        {
            total += Encoding.UTF8.GetByteCount(args.GetRaw(i).GetRawText());
        }

        foreach (var attachment in args.Attachments)
        {
            total += attachment.Length;
        }

        return total;
    }
}
