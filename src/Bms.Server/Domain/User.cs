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

    /// <summary>True for accounts created by the demo seeder; the server warns while any exists.</summary>
    public bool IsDemo { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public List<UserRole> Roles { get; set; } = [];

    public List<StoreMembership> Stores { get; set; } = [];
}
