namespace Bms.Server.Domain;

/// <summary>A user's membership of a store; it grants the <c>store:{id}</c> room and the store's data.</summary>
internal sealed class StoreMembership
{
    public int UserId { get; set; }

    public int StoreId { get; set; }
}
