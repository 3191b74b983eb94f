using Microsoft.Extensions.Options;

namespace Bms.Pos;

/// <summary>
/// The rules of <see cref="PosOptions"/>: an http(s) <see cref="PosOptions.ServerUrl"/>, a data path, a batch size of
/// 1..500, items of at least 1 KiB, positive durations, <c>RetryDelayMax &gt;= RetryDelay</c> and
/// <c>LeaseDuration &gt; RequestTimeout</c>. Registered by <c>services.AddBmsPos(…)</c> with <c>ValidateOnStart</c>;
/// <see cref="PosOptions.Validate"/> applies the same rules where no container is used. Thread-safe.
/// </summary>
public sealed class PosOptionsValidator : IValidateOptions<PosOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PosOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ServerUrl is null || !options.ServerUrl.IsAbsoluteUri || options.ServerUrl.Scheme is not ("http" or "https"))
        {
            failures.Add("PosOptions.ServerUrl must be an http or https URL.");
        }

        if (string.IsNullOrWhiteSpace(options.DataPath))
        {
            failures.Add("PosOptions.DataPath is required.");
        }

        if (options.BatchSize is < 1 or > 500 || options.MaxItemBytes < 1024)
        {
            failures.Add("PosOptions.BatchSize must be 1..500 and MaxItemBytes at least 1024.");
        }

        if (options.SyncInterval <= TimeSpan.Zero || options.RetryDelay <= TimeSpan.Zero || options.RetryDelayMax < options.RetryDelay
            || options.RequestTimeout <= TimeSpan.Zero || options.LeaseDuration <= options.RequestTimeout)
        {
            failures.Add("PosOptions durations must be positive, RetryDelayMax >= RetryDelay and LeaseDuration > RequestTimeout.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
