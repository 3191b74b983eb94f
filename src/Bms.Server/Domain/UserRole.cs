namespace Bms.Server.Domain;

/// <summary>One role (<see cref="Domain.Roles"/>) held by a user.</summary>
internal sealed class UserRole
{
    public int UserId { get; set; }

    public required string Role { get; set; }
}
