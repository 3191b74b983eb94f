using System.Net;
using Bms.Pos.Storage;

namespace Bms.Pos.Sync;

/// <summary>
/// Holds the terminal's access token: uses the cached one while it is valid, signs in again with the secret when it
/// expires or the server refuses it, and keeps the identity (terminal, store, token) in the data file so the till starts
/// offline. Thread-safe.
/// </summary>
public sealed class TerminalAuth
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(1);

    private readonly ISyncStore _store;
    private readonly PosApiClient _api;
    private readonly PosOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TerminalIdentity? _identity;

    /// <summary>Creates the holder; nothing is read until <see cref="LoadAsync"/> or <see cref="GetAccessTokenAsync"/>.</summary>
    public TerminalAuth(ISyncStore store, PosApiClient api, PosOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _api = api;
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The identity in use (cached or from the last sign-in), or null before any.</summary>
    public TerminalIdentity? Identity => Volatile.Read(ref _identity);

    /// <summary>Reads the cached identity from the store (null on a fresh data file).</summary>
    public async Task<TerminalIdentity?> LoadAsync(CancellationToken cancellationToken = default)
    {
        var identity = await _store.GetIdentityAsync(cancellationToken).ConfigureAwait(false);
        if (identity is not null && _options.TerminalId is { } wanted && !string.Equals(identity.TerminalId, wanted, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The data file belongs to terminal {identity.TerminalId}, not {wanted}; use another --data file.");
        }

        Volatile.Write(ref _identity, identity);
        return identity;
    }

    /// <summary>A valid access token: the cached one, or a new one from signing in with the secret.</summary>
    /// <exception cref="InvalidOperationException">No valid token and no secret/terminal id to sign in with.</exception>
    public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken = default)
    {
        var identity = Identity;
        if (identity?.AccessToken is { } token && identity.TokenExpiresAt - RefreshMargin > _time.GetUtcNow().UtcDateTime)
        {
            return token;
        }

        return (await SignInAsync(cancellationToken).ConfigureAwait(false)).AccessToken!;
    }

    /// <summary>Signs in with <see cref="PosOptions.TerminalId"/> and <see cref="PosOptions.Secret"/> and stores the identity.</summary>
    public async Task<TerminalIdentity> SignInAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var terminalId = _options.TerminalId ?? Identity?.TerminalId;
            if (terminalId is null || _options.Secret is null)
            {
                throw new InvalidOperationException("The terminal id and secret are needed to sign in (--terminal, --secret).");
            }

            var session = await _api.SignInAsync(terminalId, _options.Secret, cancellationToken).ConfigureAwait(false);
            var identity = new TerminalIdentity(
                session.Terminal.Id, session.Terminal.StoreId, session.Terminal.Name, _options.ServerUrl.ToString(),
                session.AccessToken, DateTime.SpecifyKind(session.ExpiresAt, DateTimeKind.Utc));
            await _store.SaveIdentityAsync(identity, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _identity, identity);
            return identity;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the cached token after the server refused it (401), so the next call signs in again.</summary>
    public void Invalidate()
    {
        if (Identity is { } identity)
        {
            Volatile.Write(ref _identity, identity with { AccessToken = null, TokenExpiresAt = null });
        }
    }

    /// <summary>Runs <paramref name="call"/> with a token; on 401 signs in again once and repeats it.</summary>
    public async Task<T> WithTokenAsync<T>(Func<string, CancellationToken, Task<T>> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var token = await GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await call(token, cancellationToken).ConfigureAwait(false);
        }
        catch (PosApiException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized && _options.Secret is not null)
        {
            Invalidate();
            token = await GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
            return await call(token, cancellationToken).ConfigureAwait(false);
        }
    }
}
