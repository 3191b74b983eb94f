namespace Bms.Server.Events;

/// <summary>
/// Where an event belongs. Every event goes to all of <c>/admin</c>. <see cref="Everyone"/> also sends it to all of
/// <c>/main</c> and <c>/pos</c>; otherwise <see cref="StoreId"/> sends it to room <c>store:{id}</c> on <c>/main</c> and
/// <c>/pos</c>, and <see cref="UserId"/> to room <c>user:{id}</c> on <c>/main</c>.
/// </summary>
internal sealed record EventRoute(int? StoreId = null, int? UserId = null, bool Everyone = false)
{
    public static EventRoute Store(int storeId) => new(StoreId: storeId);

    public static EventRoute User(int userId) => new(UserId: userId);

    public static EventRoute All { get; } = new(Everyone: true);
}
