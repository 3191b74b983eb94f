namespace Bms.Server.Domain;

/// <summary>
/// One refresh token of a rotation family. Only the SHA-256 of the token is stored. Using a token marks it
/// consumed and issues its successor in the same family; presenting a consumed token again revokes the family.
/// </summary>
internal sealed class RefreshToken
{
    public long Id { get; set; }

    /// <summary>Base64url SHA-256 of the opaque token.</summary>
    public required string TokenHash { get; set; }

    /// <summary>Shared by every token descended from one login.</summary>
    public required string FamilyId { get; set; }

    public int UserId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    /// <summary>Set when the token was exchanged for a new pair.</summary>
    public DateTime? ConsumedAt { get; set; }

    /// <summary>Set when the family was revoked (reuse detected, logout, user disabled).</summary>
    public DateTime? RevokedAt { get; set; }
}
