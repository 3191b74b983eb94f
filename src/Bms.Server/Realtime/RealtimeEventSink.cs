using Bms.Realtime.Server.Namespaces;
using Bms.Server.Events;

namespace Bms.Server.Realtime;

/// <summary>
/// Delivers committed business events to sockets: all of <c>/admin</c>; <c>store:{id}</c> on <c>/main</c> and
/// <c>/pos</c>; <c>user:{id}</c> on <c>/main</c>; or all three namespaces for <see cref="EventRoute.Everyone"/>.
/// A socket in several target rooms gets the event once. (Disconnecting a disabled or changed user's sockets is the
/// gateway's, on the user's security stamp change.)
/// </summary>
internal sealed class RealtimeEventSink(RealtimeServer io) : IDomainEventSink
{
    public async ValueTask PublishAsync(DomainEvent domainEvent, CancellationToken cancellationToken = default)
    {
        var (envelope, route) = domainEvent;
        await io.Of(RealtimeNamespaces.Admin).EmitAsync(envelope.Type, envelope);
        if (route.Everyone)
        {
            await io.Of(RealtimeNamespaces.Main).EmitAsync(envelope.Type, envelope);
            await io.Of(RealtimeNamespaces.Pos).EmitAsync(envelope.Type, envelope);
            return;
        }

        var mainRooms = new List<string>(2);
        if (route.StoreId is { } storeId)
        {
            mainRooms.Add(Rooms.Store(storeId));
            await io.Of(RealtimeNamespaces.Pos).To(Rooms.Store(storeId)).EmitAsync(envelope.Type, envelope);
        }

        if (route.UserId is { } userId)
        {
            mainRooms.Add(Rooms.User(userId));
        }

        if (mainRooms.Count > 0)
        {
            await io.Of(RealtimeNamespaces.Main).To(mainRooms).EmitAsync(envelope.Type, envelope);
        }
    }
}
