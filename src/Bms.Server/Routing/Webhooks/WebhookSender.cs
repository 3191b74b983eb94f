using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace Bms.Server.Routing.Webhooks;

/// <summary>Sends one signed webhook request (POST, JSON body) and reports the outcome. Thread-safe singleton.</summary>
internal sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider time)
{
    /// <summary>The named <see cref="HttpClient"/> (no redirects, <see cref="WebhookOptions.RequestTimeout"/>).</summary>
    public const string ClientName = "bms-webhooks";

    /// <summary>POSTs <paramref name="payload"/> to <paramref name="url"/>, signed with <paramref name="secret"/>.</summary>
    public async Task<WebhookAttemptResult> SendAsync(string url, string secret, string eventType, string eventId, Guid deliveryId,
        string payload, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(payload);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } },
        };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, body));
        request.Headers.Add(WebhookSignature.EventHeader, eventType);
        request.Headers.Add(WebhookSignature.EventIdHeader, eventId);
        request.Headers.Add(WebhookSignature.DeliveryHeader, deliveryId.ToString());
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Bms-Webhooks", "1"));

        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token)
                .ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return new WebhookAttemptResult(response.IsSuccessStatusCode, status,
                response.IsSuccessStatusCode ? null : $"HTTP {status} {response.ReasonPhrase}", Elapsed(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttemptResult(false, null, $"timed out after {options.Value.RequestTimeout.TotalSeconds:0.#} s", Elapsed(started));
        }
        catch (HttpRequestException ex)
        {
            return new WebhookAttemptResult(false, null, ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message, Elapsed(started));
        }
    }

    private static double Elapsed(long started) => Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
}

/// <summary>The outcome of one POST: 2xx or not, the status code (null without an answer), the error, the duration.</summary>
internal sealed record WebhookAttemptResult(bool Ok, int? StatusCode, string? Error, double DurationMs);
