using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bms.Realtime.Protocol;
using Bms.Server.Api;
using Bms.Server.Auth;
using Bms.Server.Events;
using Bms.Server.Services;
using Bms.Realtime.Server.Namespaces;
using Bms.Server.RealtimeAuthorization;

namespace Bms.Server.Realtime;

internal sealed partial class RealtimeGateway
{
    /// <summary>Longest event name echoed back in <c>error</c> events or written to the log.</summary>
    private const int MaxEchoedNameLength = 64;

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

        if (PayloadBytes(e) > options.Value.MaxEventPayloadBytes)
        {
            await ViolationAsync(e, session, "payload");
            return;
        }

        if (!EventAuthorizationTable.IsAllowed(nsp, e.Name, session.Principal.Roles))
        {
            metrics.EventRefused(nsp, e.Name);
            Log.EventRefused(logger, nsp, ShortName(e.Name) ?? ClientEventTags.Other, session.Principal.Actor);
            await ReplyErrorAsync(e, "forbidden");
            return;
        }

        try
        {
            if (!await stamps.IsCurrentAsync(session.Principal))
            {
                // The user's access changed and the cluster notice has not reached this socket (yet): end it now.
                await RevokeSocketAsync(e.Socket, session);
                return;
            }

            await (e.Name switch
            {
                ClientEvents.RoomJoin => RoomAsync(e, session, join: true),
                ClientEvents.RoomLeave => RoomAsync(e, session, join: false),
                ClientEvents.Ping => e.AckAsync(new { ok = true, time = time.GetUtcNow().UtcDateTime }),
                ClientEvents.SyncStatus => SyncStatusAsync(e, session),
                ClientEvents.NotificationSend => NotificationAsync(e, session),
                ClientEvents.AuthRefresh => RefreshAsync(e, session),
                ClientEvents.Subscribe => subscriptions.SubscribeAsync(e),
                ClientEvents.Unsubscribe => subscriptions.UnsubscribeAsync(e),
                ClientEvents.EventFlowSubscribe => eventFlow.SubscribeAsync(e),
                ClientEvents.EventFlowUnsubscribe => eventFlow.UnsubscribeAsync(e),
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
        await e.Socket.EmitAsync("error", new { code = "rate_limited", kind, @event = ShortName(e.Name) });
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
            await e.Socket.EmitAsync("error", new { code = error, @event = ShortName(e.Name) });
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
        var claimed = data["terminalId"] is JsonValue claimedValue && claimedValue.TryGetValue<string>(out var text) ? text : null;
        var check = await terminalStatus.AuthorizeAsync(principal, claimed, e.Socket);
        if (check.Error is { } refused)
        {
            await e.AckAsync(new { ok = false, error = refused });
            return;
        }

        // The server stamps who reported and when; a client cannot speak for another terminal or store.
        data["terminalId"] = check.TerminalId;
        data["storeId"] = check.StoreId;
        data["reportedBy"] = principal.Actor;
        data["reportedAt"] = time.GetUtcNow().UtcDateTime;
        if (!terminalStatus.Report(check.TerminalId!, data, bySelf: principal.IsTerminal))
        {
            // The terminal reported for itself moments ago: its own word stands, on the board and on the stream.
            await e.AckAsync(new { ok = false, error = "superseded" });
            return;
        }

        await events.PublishAsync(RealtimeEventNames.SyncStatus, data, EventRoute.Store(check.StoreId));
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

    /// <summary>The event name when it is short enough to echo or log; null for a longer one (a client-chosen string).</summary>
    private static string? ShortName(string name) => name.Length <= MaxEchoedNameLength ? name : null;

    /// <summary>Bytes of the event: its name (a client-chosen string like the rest), JSON arguments and attachments.</summary>
    private static long PayloadBytes(SocketEvent e)
    {
        var args = e.Args;
        long total = Encoding.UTF8.GetByteCount(e.Name);
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
