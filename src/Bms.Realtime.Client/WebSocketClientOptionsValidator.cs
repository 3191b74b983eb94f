using Microsoft.Extensions.Options;

namespace Bms.Realtime.Client;

/// <summary>
/// Validates <see cref="WebSocketClientOptions"/> with the rules of <see cref="WebSocketClientOptions.Validate"/>
/// (URL with an http(s)/ws(s) scheme, at least one transport, positive timeout, ordered reconnection delays, buffer and
/// jitter in range) and reports the rule's message. Registered by <c>services.AddWebSocketClient(…)</c> with
/// <c>ValidateOnStart</c>. Thread-safe.
/// </summary>
public sealed class WebSocketClientOptionsValidator : IValidateOptions<WebSocketClientOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, WebSocketClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"Invalid WebSocketClientOptions: {ex.Message}");
        }
    }
}
