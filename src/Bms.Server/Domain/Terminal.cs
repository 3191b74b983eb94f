namespace Bms.Server.Domain;

/// <summary>A POS terminal: its own principal (role <c>pos</c>) authenticated by id and secret.</summary>
internal sealed class Terminal
{
    /// <summary>Human-readable id such as <c>POS-001</c>.</summary>
    public required string Id { get; set; }

    public string? Name { get; set; }

    /// <summary>Hash of the secret (same hasher as user passwords).</summary>
    public string SecretHash { get; set; } = "";

    public int StoreId { get; set; }

    public bool IsActive { get; set; } = true;

    public bool IsDemo { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? LastSeenAt { get; set; }
}
