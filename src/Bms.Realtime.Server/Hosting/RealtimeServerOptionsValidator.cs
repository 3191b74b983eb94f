using Microsoft.Extensions.Options;

namespace Bms.Realtime.Server.Hosting;

/// <summary>Validates <see cref="RealtimeServerOptions"/> at start.</summary>
public sealed class RealtimeServerOptionsValidator : IValidateOptions<RealtimeServerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RealtimeServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.PingInterval <= TimeSpan.Zero) errors.Add("PingInterval must be positive.");
        if (options.PingTimeout <= TimeSpan.Zero) errors.Add("PingTimeout must be positive.");
        if (options.UpgradeTimeout <= TimeSpan.Zero) errors.Add("UpgradeTimeout must be positive.");
        if (options.ConnectTimeout <= TimeSpan.Zero) errors.Add("ConnectTimeout must be positive.");
        if (options.MaxPayload < 1024) errors.Add("MaxPayload must be at least 1024 bytes.");
        if (options.MaxQueuedFrames < 16) errors.Add("MaxQueuedFrames must be at least 16.");
        if (options.MaxQueuedBytes < 1024) errors.Add("MaxQueuedBytes must be at least 1024 bytes.");
        if (options.MaxAttachments < 0) errors.Add("MaxAttachments must not be negative.");
        if (options.MaxAttachmentBytes < 1) errors.Add("MaxAttachmentBytes must be positive.");
        if (options.AttachmentTimeout <= TimeSpan.Zero) errors.Add("AttachmentTimeout must be positive.");
        if (options.MaxEventNameLength < 1 || options.MaxEventNameLength > options.MaxPayload) errors.Add("MaxEventNameLength must be between 1 and MaxPayload.");
        if (!options.AllowPolling && !options.AllowWebSocket) errors.Add("At least one transport must be allowed.");
        if (options.ConnectionStateRecovery.MaxDisconnectionDuration <= TimeSpan.Zero) errors.Add("MaxDisconnectionDuration must be positive.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
