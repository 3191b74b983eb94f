using System.Net;
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
/// once; presenting it again revokes every token of its family (the thief's and the owner's). Every entry point is
/// limited by <see cref="SignInGuard"/>: attempts per client address, failures per username or terminal id, and a bound
/// on concurrent hashing; an unknown or disabled account is hashed against a dummy hash, so it answers in the same time
/// as a wrong password. Scoped.
/// </summary>
internal sealed partial class AuthService(
    BmsDbContext db,
    TokenService tokens,
    SecurityStampCache stamps,
    IPasswordHasher<User> userHasher,
    IPasswordHasher<Terminal> terminalHasher,
    SignInGuard guard,
    TimeProvider time,
    ILogger<AuthService> logger)
{
    /// <summary>Signs a user in; <paramref name="clientAddress"/> is charged one attempt (null: not charged).</summary>
    public async Task<LoginResponse> LoginAsync(LoginRequest request, IPAddress? clientAddress, CancellationToken cancellationToken)
    {
        guard.ChargeAddress(clientAddress);
        var errors = new ValidationErrors();
        errors.Required("username", request.Username, 64);
        errors.Required("password", request.Password, 256);
        errors.ThrowIfAny();

        var username = request.Username!.Trim().ToLowerInvariant();
        var key = SignInGuard.UserKey(username);
        guard.CheckName(key);
        var user = await db.Users.Include(u => u.Roles).Include(u => u.Stores)
            .FirstOrDefaultAsync(u => u.Username == username, cancellationToken);
        bool verified;
        using (await guard.EnterHashingAsync(cancellationToken))
        {
            verified = VerifyUser(user, request.Password!);
        }

        if (user is null || !user.IsActive || !verified)
        {
            guard.RecordFailure(key);
            Log.LoginFailed(logger, username);
            throw ApiException.Unauthorized("Invalid username or password.", "invalid_credentials");
        }

        var response = await IssueAsync(user, Guid.NewGuid().ToString("N"), cancellationToken);
        Log.LoggedIn(logger, user.Id, username);
        return response;
    }

    /// <summary>Exchanges a refresh token for a new pair, for the server's own callers (no address is charged).</summary>
    public Task<LoginResponse> RefreshAsync(RefreshRequest request, CancellationToken cancellationToken) =>
        RefreshAsync(request, null, cancellationToken);

    /// <summary>Exchanges a refresh token for a new pair; <paramref name="clientAddress"/> is charged one attempt.</summary>
    public async Task<LoginResponse> RefreshAsync(RefreshRequest request, IPAddress? clientAddress, CancellationToken cancellationToken)
    {
        guard.ChargeAddress(clientAddress);
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
            // The thief may hold access tokens of the family as well: end every access token of the user now.
            await stamps.RenewAsync(db, stored.UserId, cancellationToken);
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

    /// <summary>Signs a terminal in; <paramref name="clientAddress"/> is charged one attempt (null: not charged).</summary>
    public async Task<TerminalLoginResponse> TerminalLoginAsync(TerminalLoginRequest request, IPAddress? clientAddress, CancellationToken cancellationToken)
    {
        guard.ChargeAddress(clientAddress);
        var errors = new ValidationErrors();
        errors.Required("terminalId", request.TerminalId, 64);
        errors.Required("secret", request.Secret, 256);
        errors.ThrowIfAny();

        var id = request.TerminalId!.Trim();
        var key = SignInGuard.TerminalKey(id);
        guard.CheckName(key);
        var terminal = await db.Terminals.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        bool verified;
        using (await guard.EnterHashingAsync(cancellationToken))
        {
            verified = VerifyTerminal(terminal, request.Secret!);
        }

        if (terminal is null || !terminal.IsActive || !verified)
        {
            guard.RecordFailure(key);
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

    /// <summary>Checks the password; an unknown user is checked against the dummy hash (same cost) and fails.</summary>
    private bool VerifyUser(User? user, string password)
    {
        if (user is null)
        {
            userHasher.VerifyHashedPassword(new User { Username = "" }, guard.DummyUserHash, password);
            return false;
        }

        var result = userHasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = userHasher.HashPassword(user, password);
        }

        return result != PasswordVerificationResult.Failed;
    }

    /// <summary>Checks the secret; an unknown terminal is checked against the dummy hash (same cost) and fails.</summary>
    private bool VerifyTerminal(Terminal? terminal, string secret)
    {
        var result = terminalHasher.VerifyHashedPassword(terminal ?? new Terminal { Id = "" }, terminal?.SecretHash ?? guard.DummyTerminalHash, secret);
        return terminal is not null && result != PasswordVerificationResult.Failed;
    }

    private async Task<LoginResponse> IssueAsync(User user, string familyId, CancellationToken cancellationToken)
    {
        var roles = user.Roles.Select(r => r.Role).Order(StringComparer.Ordinal).ToList();
        var stores = user.Stores.Select(s => s.StoreId).Order().ToList();
        var (access, expires) = tokens.CreateUserToken(user.Id, user.Username, roles, stores, user.SecurityStamp);

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
