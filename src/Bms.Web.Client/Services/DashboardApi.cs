using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bms.Web.Client.Models;
using Bms.Web.Components.Models;
using Bms.Web.Components.Services;

namespace Bms.Web.Client.Services;

/// <summary>
/// The REST calls only the browser app makes (beyond <see cref="IBmsApi"/>): the admin's socket list and the
/// dashboard's terminal directory, with the session's access token. Scoped.
/// </summary>
public sealed class DashboardApi(HttpClient http, IAccessTokenSource tokens)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary><c>GET /api/admin/sockets</c> (admins): every connected socket.</summary>
    public Task<List<ConnectedSocket>> GetSocketsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<List<ConnectedSocket>>("/api/admin/sockets", cancellationToken);

    /// <summary><c>GET /api/dashboard/terminals</c>: the user's terminals with connection and last report.</summary>
    public Task<List<TerminalStatus>> GetTerminalsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<List<TerminalStatus>>("/api/dashboard/terminals", cancellationToken);

    /// <summary><c>POST /api/dashboard/terminals/sync</c>: asks one terminal (or all) to sync now; returns how many were asked.</summary>
    public async Task<int> RequestSyncAsync(string? terminalId, CancellationToken cancellationToken = default)
    {
        using var request = await CreateAsync(HttpMethod.Post, "/api/dashboard/terminals/sync", cancellationToken).ConfigureAwait(false);
        request.Content = JsonContent.Create(new { terminalId }, options: Json);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken).ConfigureAwait(false);
        return body.TryGetProperty("asked", out var asked) ? asked.GetInt32() : 0;
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
        where T : new()
    {
        using var request = await CreateAsync(HttpMethod.Get, path, cancellationToken).ConfigureAwait(false);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false) ?? new T();
    }

    private async Task<HttpRequestMessage> CreateAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, path);
        if (await tokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}
