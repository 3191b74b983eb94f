using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bms.Web.Components.Models;
using Microsoft.Extensions.Options;

namespace Bms.Web.Components.Services;

/// <summary>
/// <see cref="IBmsApi"/> over HTTP: requests go to <see cref="RealtimeConnectionOptions.ServerUrl"/> with
/// <c>Authorization: Bearer</c> from <see cref="IAccessTokenSource"/>; a refused call throws
/// <see cref="BmsApiException"/> with the server's Problem Details. Scoped (one per app).
/// </summary>
public sealed class BmsApiClient : IBmsApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;
    private readonly IAccessTokenSource _tokens;

    /// <summary>Creates the client; <paramref name="http"/> is typically from <c>IHttpClientFactory</c>.</summary>
    public BmsApiClient(HttpClient http, IAccessTokenSource tokens, IOptions<RealtimeConnectionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _tokens = tokens;
        _http.BaseAddress ??= options.Value.ServerUrl;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ProductInfo>> GetProductsAsync(CancellationToken cancellationToken = default) =>
        GetListAsync<ProductInfo>("/api/products", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TransactionInfo>> GetTransactionsAsync(int limit = 20, CancellationToken cancellationToken = default) =>
        GetListAsync<TransactionInfo>($"/api/transactions?limit={limit}", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<NotificationInfo>> GetNotificationsAsync(int limit = 20, CancellationToken cancellationToken = default) =>
        GetListAsync<NotificationInfo>($"/api/notifications?limit={limit}", cancellationToken);

    /// <inheritdoc />
    public Task MarkNotificationReadAsync(Guid id, CancellationToken cancellationToken = default) =>
        PostAsync($"/api/notifications/{id}/read", cancellationToken);

    /// <inheritdoc />
    public Task MarkAllNotificationsReadAsync(CancellationToken cancellationToken = default) =>
        PostAsync("/api/notifications/read-all", cancellationToken);

    /// <inheritdoc />
    public Task ClearNotificationsAsync(CancellationToken cancellationToken = default) =>
        PostAsync("/api/notifications/clear", cancellationToken);

    /// <inheritdoc />
    public async Task<NotificationInfo?> SendNotificationAsync(string title, string message, string severity, CancellationToken cancellationToken = default)
    {
        using var request = await CreateAsync(HttpMethod.Post, "/api/notifications", cancellationToken).ConfigureAwait(false);
        request.Content = JsonContent.Create(new { title, message, severity }, options: Json);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<NotificationInfo>(Json, cancellationToken).ConfigureAwait(false);
    }

    private async Task PostAsync(string path, CancellationToken cancellationToken)
    {
        using var request = await CreateAsync(HttpMethod.Post, path, cancellationToken).ConfigureAwait(false);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<T>> GetListAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var request = await CreateAsync(HttpMethod.Get, path, cancellationToken).ConfigureAwait(false);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<List<T>>(Json, cancellationToken).ConfigureAwait(false) ?? [];
    }

    private async Task<HttpRequestMessage> CreateAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, path);
        if (await _tokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        // Problem Details carry a readable title/detail and a code; show those rather than the bare status code.
        string? detail = null;
        string? code = null;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken).ConfigureAwait(false);
            if (problem.ValueKind == JsonValueKind.Object)
            {
                detail = problem.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()
                    : problem.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                code = problem.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // Not Problem Details; the status code alone will do.
        }

        throw new BmsApiException(
            response.StatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}{(detail is null ? "" : ": " + detail)}", detail, code);
    }
}
