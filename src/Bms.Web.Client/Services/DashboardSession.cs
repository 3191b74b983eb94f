using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Bms.Contracts;
using Bms.Web.Client.Models;
using Bms.Web.Components.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Bms.Web.Client.Services;

/// <summary>
/// The browser app's view of the signed-in cookie session. It asks the host's same-origin token endpoint
/// (<see cref="TokenPath"/>, which requires the HttpOnly cookie and the page's antiforgery token) for a short-lived
/// access token, keeps it in memory only (never in <c>localStorage</c>/<c>sessionStorage</c>), and asks again when the
/// token is within <see cref="RefreshMargin"/> of expiry or after <see cref="Invalidate"/> (the server said
/// <c>token_expired</c>). A refused session (401) signs the user out: back to <c>/signin</c> with a message.
/// Also the app's <see cref="AuthenticationStateProvider"/> (who the token endpoint says the user is). Singleton.
/// </summary>
public sealed class DashboardSession : AuthenticationStateProvider, IAccessTokenSource
{
    /// <summary>The token endpoint.</summary>
    public const string TokenPath = "/dashboard/token";

    /// <summary>The header carrying the antiforgery request token (ASP.NET Core's default).</summary>
    public const string AntiforgeryHeader = "RequestVerificationToken";

    /// <summary>The longest margin before expiry at which a token is refreshed; short tokens use a third of their life.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(1);

    private static readonly AuthenticationState Anonymous = new(new ClaimsPrincipal(new ClaimsIdentity()));
    private readonly HttpClient _http;
    private readonly NavigationManager _navigation;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Current? _current;
    private Task<AuthenticationState>? _state;

    /// <summary>Creates the session; <paramref name="http"/> has the app's origin as its base address.</summary>
    public DashboardSession(HttpClient http, NavigationManager navigation, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(navigation);
        ArgumentNullException.ThrowIfNull(time);
        _http = http;
        _navigation = navigation;
        _time = time;
    }

    /// <summary>The antiforgery request token the host rendered into the page (set by <c>Routes</c>).</summary>
    public string? RequestToken { get; set; }

    /// <summary>The host's settings for the browser app (set by <c>Routes</c>).</summary>
    public DashboardClientSettings? Settings { get; set; }

    /// <summary>When the current token expires (local clock), null before the first one.</summary>
    public DateTimeOffset? ExpiresAt => _current?.ExpiresAt;

    /// <summary>How many tokens the endpoint handed out to this page.</summary>
    public int TokensIssued { get; private set; }

    /// <summary>The signed-in user, once known.</summary>
    public DashboardUser? User => _current?.Token.User;

    /// <inheritdoc />
    public override Task<AuthenticationState> GetAuthenticationStateAsync() => _state ??= LoadStateAsync();

    /// <inheritdoc />
    public async ValueTask<string?> GetAccessTokenAsync(CancellationToken cancellationToken = default)
    {
        if (Fresh(_current) is { } current)
        {
            return current.Token.AccessToken;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return (Fresh(_current) ?? await FetchAsync(cancellationToken).ConfigureAwait(false))?.Token.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the current token (the server said it expired); the next <see cref="GetAccessTokenAsync"/> fetches one.</summary>
    public void Invalidate() => _current = null;

    /// <summary>Leaves the app for the sign-in page with <paramref name="reason"/> (<c>expired</c>, <c>refused</c>).</summary>
    public void SignOut(string reason) =>
        _navigation.NavigateTo($"/signin?reason={Uri.EscapeDataString(reason)}", forceLoad: true);

    private Current? Fresh(Current? current) =>
        current is not null && current.ExpiresAt - _time.GetUtcNow() > current.Margin ? current : null;

    private async Task<AuthenticationState> LoadStateAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var current = Fresh(_current) ?? await FetchAsync(CancellationToken.None).ConfigureAwait(false);
            return current is null ? Anonymous : new AuthenticationState(Principal(current.Token.User));
        }
        catch (HttpRequestException)
        {
            return Anonymous;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Current?> FetchAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TokenPath);
        if (!string.IsNullOrEmpty(RequestToken))
        {
            request.Headers.TryAddWithoutValidation(AntiforgeryHeader, RequestToken);
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // The cookie session ended (signed out elsewhere, expired, or its refresh token was revoked).
            _current = null;
            SignOut("expired");
            return null;
        }

        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<DashboardToken>(cancellationToken).ConfigureAwait(false)
            ?? throw new HttpRequestException("The token endpoint answered without a token.");
        var lifetime = TimeSpan.FromSeconds(Math.Max(0, token.ExpiresIn));
        var margin = lifetime / 3 < RefreshMargin ? lifetime / 3 : RefreshMargin;
        var current = new Current(token, _time.GetUtcNow() + lifetime, margin);
        _current = current;
        TokensIssued++;
        return current;
    }

    private static ClaimsPrincipal Principal(DashboardUser user)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, user.Id), new(ClaimTypes.Name, user.Name) };
        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "bms-dashboard", ClaimTypes.Name, ClaimTypes.Role));
    }

    private sealed record Current(DashboardToken Token, DateTimeOffset ExpiresAt, TimeSpan Margin);
}
