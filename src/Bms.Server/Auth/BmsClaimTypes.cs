namespace Bms.Server.Auth;

/// <summary>Claim names in our tokens (inbound claim mapping is off, so these are the raw JWT names).</summary>
internal static class BmsClaimTypes
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string StoreId = "store_id";

    /// <summary>The user's security stamp when the token was issued (users only; see <see cref="SecurityStampCache"/>).</summary>
    public const string SecurityStamp = "sstamp";

    /// <summary><c>user</c> or <c>terminal</c>.</summary>
    public const string Kind = "kind";

    public const string KindUser = "user";
    public const string KindTerminal = "terminal";
}
