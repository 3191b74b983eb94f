using System.Security.Cryptography;
using System.Text;
using Bms.Server.Api;
using Bms.Server.Data;
using Bms.Server.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Auth;

/// <summary>
/// Sign-in for users and terminals, and refresh-token rotation with reuse detection: a refresh token can be exchanged
/// once; presenting it again revokes every token of its family (the thief's and the owner's). Scoped.
/// </summary>
internal sealed partial class AuthService(
    BmsDbContext db,
    TokenService tokens,
    IPasswordHasher<User> userHasher,
    IPasswordHasher<Terminal> terminalHasher,
    TimeProvider time,
    ILogger<AuthService> logger)
{
    public async Task<LoginResponse> LoginAsync(LoginRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required("username", request.Username, 64);
        errors.Required("password", request.Password, 256);
        errors.ThrowIfAny();

        var username = request.Username!.Trim().ToLowerInvariant();
        var user = await db.Users.Include(u => u.Roles).Include(u => u.Stores)
            .FirstOrDefaultAsync(u => u.Username == username, cancellationToken);
        if (user is null || !user.IsActive || !VerifyUser(user, request.Password!))
        {
            Log.LoginFailed(logger, username);
            throw ApiException.Unauthorized("Invalid username or password.", "invalid_credentials");
        }

        var response = await IssueAsync(user, Guid.NewGuid().ToString("N"), cancellationToken);
        Log.LoggedIn(logger, user.Id, username);
        return response;
    }

    public async Task<LoginResponse> RefreshAsync(RefreshRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required("refreshToken", request.RefreshToken, 256);
        errors.ThrowIfAny();

        var now = time.GetUtcNow().UtcDateTime;
        var hash = Hash(request.RefreshToken!);
        var stored = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (stored is null || stored.RevokedAt is not null)
        {
            throw ApiException.Unauthorized("The refresh token is not valid.", "invalid_refresh_token");
        }

        if (stored.ExpiresAt <= now)
        {
            throw ApiException.Unauthorized("The refresh token has expired.", "refresh_token_expired");
        }

        // Consume atomically: of two concurrent uses exactly one wins; the other is a reuse.
        var consumed = stored.ConsumedAt is null && await db.RefreshTokens
            .Where(t => t.Id == stored.Id && t.ConsumedAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ConsumedAt, now), cancellationToken) == 1;
        if (!consumed)
        {
            await db.RefreshTokens.Where(t => t.FamilyId == stored.FamilyId && t.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
            Log.RefreshReuse(logger, stored.UserId, stored.FamilyId);
            throw ApiException.Unauthorized("The refresh token was already used; its session has been revoked.", "refresh_token_reused");
        }

        var user = await db.Users.Include(u => u.Roles).Include(u => u.Stores)
            .FirstOrDefaultAsync(u => u.Id == stored.UserId, cancellationToken);
        if (user is null || !user.IsActive)
        {
            throw ApiException.Unauthorized("The account is disabled.", "account_disabled");
        }

        return await IssueAsync(user, stored.FamilyId, cancellationToken);
    }

    public async Task<TerminalLoginResponse> TerminalLoginAsync(TerminalLoginRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required("terminalId", request.TerminalId, 64);
        errors.Required("secret", request.Secret, 256);
        errors.ThrowIfAny();

        var id = request.TerminalId!.Trim();
        var terminal = await db.Terminals.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (terminal is null || !terminal.IsActive
            || terminalHasher.VerifyHashedPassword(terminal, terminal.SecretHash, request.Secret!) == PasswordVerificationResult.Failed)
        {
            Log.TerminalLoginFailed(logger, id);
            throw ApiException.Unauthorized("Invalid terminal id or secret.", "invalid_credentials");
        }

        terminal.LastSeenAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        var (token, expires) = tokens.CreateTerminalToken(terminal.Id, terminal.StoreId);
        return new TerminalLoginResponse(token, expires, new TerminalDto(terminal.Id, terminal.Name, terminal.StoreId));
    }

    /// <summary>SHA-256 of a refresh token, base64url; only this is stored.</summary>
    internal static string Hash(string refreshToken) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private bool VerifyUser(User user, string password)
    {
        var result = userHasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = userHasher.HashPassword(user, password);
        }

        return result != PasswordVerificationResult.Failed;
    }

    private async Task<LoginResponse> IssueAsync(User user, string familyId, CancellationToken cancellationToken)
    {
        var roles = user.Roles.Select(r => r.Role).Order(StringComparer.Ordinal).ToList();
        var stores = user.Stores.Select(s => s.StoreId).Order().ToList();
        var (access, expires) = tokens.CreateUserToken(user.Id, user.Username, roles, stores);

        var refresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = time.GetUtcNow().UtcDateTime;
        db.RefreshTokens.Add(new RefreshToken
        {
            TokenHash = Hash(refresh),
            FamilyId = familyId,
            UserId = user.Id,
            CreatedAt = now,
            ExpiresAt = now + tokens.Options.RefreshTokenLifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return new LoginResponse(access, refresh, expires, new AuthUserDto(user.Id, user.Username, roles, stores));
    }
}
