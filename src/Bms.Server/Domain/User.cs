namespace Bms.Server.Domain;

/// <summary>A person who signs in with a username and password.</summary>
internal sealed class User
{
    public int Id { get; set; }

    /// <summary>Unique, compared case-insensitively (stored lower-case).</summary>
    public required string Username { get; set; }

    public string? DisplayName { get; set; }

    /// <summary>Hash produced by <c>PasswordHasher&lt;User&gt;</c>.</summary>
    public string PasswordHash { get; set; } = "";

    public bool IsActive { get; set; } = true;

    /// <summary>
    /// A random value carried by every access token of the user (claim <c>sstamp</c>) and compared on each request and
    /// socket connection. It is replaced whenever the user's access must end at once: disabled, roles or stores
    /// changed, password changed, a refresh token family revoked. Tokens with the old value are then refused.
    /// </summary>
    public string SecurityStamp { get; set; } = NewSecurityStamp();

    /// <summary>True for accounts created by the demo seeder; the server warns while any exists.</summary>
    public bool IsDemo { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public List<UserRole> Roles { get; set; } = [];

    public List<StoreMembership> Stores { get; set; } = [];

    /// <summary>A fresh random security stamp (32 hex digits).</summary>
    public static string NewSecurityStamp() => Guid.NewGuid().ToString("N");
}
