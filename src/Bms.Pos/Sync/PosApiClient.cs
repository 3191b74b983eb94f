using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Bms.Pos.Sync;

/// <summary>
/// The terminal's REST calls: <c>POST /api/auth/terminal</c>, <c>POST /api/pos/sync</c>, <c>GET /api/pos/catalog</c>.
/// Errors come back as <see cref="PosApiException"/> (the server answered) or <see cref="HttpRequestException"/> /
/// <see cref="TimeoutException"/> (it did not). Thread-safe.
/// </summary>
public sealed class PosApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>Creates a client for <paramref name="serverUrl"/> with its own <see cref="HttpClient"/>.</summary>
    public PosApiClient(Uri serverUrl, TimeSpan requestTimeout)
        : this(new HttpClient { BaseAddress = serverUrl, Timeout = requestTimeout }, ownsHttp: true)
    {
    }

    /// <summary>Creates a client on <paramref name="http"/> (its <c>BaseAddress</c> must be the backend; not disposed here).</summary>
    public PosApiClient(HttpClient http) : this(http, ownsHttp: false)
    {
    }

    private PosApiClient(HttpClient http, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(http.BaseAddress);
        _http = http;
        _ownsHttp = ownsHttp;
    }

    /// <summary>Signs in as a terminal and returns its token and store.</summary>
    public async Task<TerminalSession> SignInAsync(string terminalId, string secret, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(terminalId);
        ArgumentNullException.ThrowIfNull(secret);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/terminal")
        {
            Content = JsonContent.Create(new { terminalId, secret }, options: PosJson.Options),
        };
        return await SendAsync<TerminalSession>(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends one batch. <paramref name="payloads"/> are the outbox JSON texts, sent verbatim as
    /// <c>{"transactions":[…]}</c>; each must be valid JSON.
    /// </summary>
    public async Task<PosSyncResponse> SyncAsync(string accessToken, IReadOnlyList<string> payloads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("transactions");
            foreach (var payload in payloads)
            {
                writer.WriteRawValue(payload);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/pos/sync")
        {
            Content = new ByteArrayContent(buffer.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await SendAsync<PosSyncResponse>(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Products changed since <paramref name="since"/> (everything when null).</summary>
    public async Task<PosCatalogResponse> GetCatalogAsync(string accessToken, DateTime? since, CancellationToken cancellationToken = default)
    {
        var path = since is { } s
            ? "/api/pos/catalog?since=" + Uri.EscapeDataString(s.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture))
            : "/api/pos/catalog";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await SendAsync<PosCatalogResponse>(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{request.Method} {request.RequestUri} timed out.", ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw ToException(response.StatusCode, text);
            }

            return JsonSerializer.Deserialize<T>(text, PosJson.Options)
                ?? throw new PosApiException(response.StatusCode, "empty_response", "The server answered with an empty body.");
        }
    }

    private static PosApiException ToException(HttpStatusCode status, string body)
    {
        string? code = null;
        var message = $"HTTP {(int)status}";
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrEmpty(body) ? "{}" : body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (doc.RootElement.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String)
                {
                    code = c.GetString();
                }

                var detail = doc.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()
                    : doc.RootElement.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                if (detail is not null)
                {
                    message = $"HTTP {(int)status}: {detail}";
                }
            }
        }
        catch (JsonException)
        {
            message = $"HTTP {(int)status}: {Truncate(body)}";
        }

        return new PosApiException(status, code, message);
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : new StringBuilder(text, 0, 200, 203).Append("...").ToString();
}
