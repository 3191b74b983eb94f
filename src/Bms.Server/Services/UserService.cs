using Bms.Server.Api;
using Bms.Server.Auth;
using Bms.Server.Data;
using Bms.Server.Domain;
using Bms.Server.Events;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Services;

/// <summary>User administration (admins only; the policy is on the endpoints). Scoped.</summary>
internal sealed class UserService(
    BmsDbContext db, DomainEventPublisher events, IPasswordHasher<User> hasher, SecurityStampCache stamps, TimeProvider time)
{
    public async Task<IReadOnlyList<UserDto>> ListAsync(CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking().Include(u => u.Roles).Include(u => u.Stores)
            .OrderBy(u => u.Id).ToListAsync(cancellationToken);
        return users.Select(u => u.ToDto()).ToList();
    }

    /// <summary>
    /// Changes a user; disabling a user or changing the password revokes the user's refresh tokens. Disabling, or
    /// changing roles, stores or the password, also replaces the user's security stamp: every access token issued
    /// before fails at once on REST and sockets, and the user's connected sockets are disconnected on every node.
    /// </summary>
    public async Task<UserDto> UpdateAsync(int id, UpdateUserRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.DisplayName is { Length: > 200 })
        {
            errors.Add("displayName", "The displayName field must be at most 200 characters.");
        }

        if (request.Roles is { } roles && (roles.Count == 0 || roles.Any(r => !Roles.IsUserRole(r))))
        {
            errors.Add("roles", $"The roles field must list one or more of: {string.Join(", ", Roles.UserRoles)}.");
        }

        if (request.StoreIds is { } storeIds && storeIds.Any(s => s <= 0))
        {
            errors.Add("storeIds", "Store ids must be positive.");
        }

        if (request.Password is { } password && (password.Length < 8 || password.Length > 128))
        {
            errors.Add("password", "The password must be 8 to 128 characters.");
        }

        errors.ThrowIfAny();
        var user = await db.Users.Include(u => u.Roles).Include(u => u.Stores).FirstOrDefaultAsync(u => u.Id == id, cancellationToken)
            ?? throw ApiException.NotFound($"User {id}");
        var rolesBefore = user.Roles.Select(r => r.Role).ToHashSet(StringComparer.Ordinal);
        var storesBefore = user.Stores.Select(s => s.StoreId).ToHashSet();

        if (request.StoreIds is { } wanted)
        {
            var distinct = wanted.Distinct().ToArray();
            var existing = await db.Stores.Where(s => distinct.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);
            var missing = distinct.Except(existing).ToList();
            if (missing.Count > 0)
            {
                throw ApiException.Validation("storeIds", $"Unknown store ids: {string.Join(", ", missing)}.");
            }

            user.Stores.RemoveAll(s => !distinct.Contains(s.StoreId));
            foreach (var storeId in distinct.Where(s => user.Stores.All(m => m.StoreId != s)))
            {
                user.Stores.Add(new StoreMembership { UserId = user.Id, StoreId = storeId });
            }
        }

        if (request.Roles is { } newRoles)
        {
            var distinct = newRoles.Select(r => r!).Distinct(StringComparer.Ordinal).ToArray();
            user.Roles.RemoveAll(r => !distinct.Contains(r.Role));
            foreach (var role in distinct.Where(r => user.Roles.All(x => x.Role != r)))
            {
                user.Roles.Add(new UserRole { UserId = user.Id, Role = role });
            }
        }

        if (request.DisplayName is { } displayName)
        {
            user.DisplayName = displayName.Trim();
        }

        var now = time.GetUtcNow().UtcDateTime;
        var revokeTokens = false;
        if (request.IsActive is { } active && active != user.IsActive)
        {
            user.IsActive = active;
            revokeTokens |= !active;
        }

        if (request.Password is { } newPassword)
        {
            user.PasswordHash = hasher.HashPassword(user, newPassword);
            user.IsDemo = false;
            revokeTokens = true;
        }

        var accessChanged = revokeTokens
            || !rolesBefore.SetEquals(user.Roles.Select(r => r.Role))
            || !storesBefore.SetEquals(user.Stores.Select(s => s.StoreId));
        if (accessChanged)
        {
            user.SecurityStamp = User.NewSecurityStamp();
        }

        user.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        if (accessChanged)
        {
            stamps.Invalidate(user.Id);
        }

        if (revokeTokens)
        {
            await db.RefreshTokens.Where(t => t.UserId == id && t.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        }

        var dto = user.ToDto();
        await events.PublishAsync(RealtimeEventNames.UserUpdated, dto, EventRoute.User(user.Id), cancellationToken);
        if (accessChanged)
        {
            // After the event, so the user's own sockets still receive the user:updated that explains the disconnect.
            await stamps.RevokedAsync(user.Id);
        }

        return dto;
    }
}
