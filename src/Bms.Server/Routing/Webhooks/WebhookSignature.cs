using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bms.Server.Routing.Webhooks;

/// <summary>
/// The webhook signature: <c>X-Bms-Signature: sha256=&lt;hex HMAC-SHA256(secret, "&lt;timestamp&gt;.&lt;body&gt;")&gt;</c> with
/// <c>X-Bms-Timestamp: &lt;unix seconds&gt;</c>. Signing the timestamp with the body lets receivers refuse replays of old
/// requests. Thread-safe.
/// </summary>
internal static class WebhookSignature
{
    public const string SignatureHeader = "X-Bms-Signature";
    public const string TimestampHeader = "X-Bms-Timestamp";
    public const string EventHeader = "X-Bms-Event";
    public const string EventIdHeader = "X-Bms-Event-Id";
    public const string DeliveryHeader = "X-Bms-Delivery";

    /// <summary>The <c>sha256=…</c> value for <paramref name="body"/> sent at <paramref name="timestamp"/> (unix seconds).</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    /// <summary>A new random secret (<c>whsec_</c> + 32 random bytes, base64url).</summary>
    public static string NewSecret() => "whsec_" + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
