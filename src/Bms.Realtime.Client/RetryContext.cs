namespace Bms.Realtime.Client;

/// <summary>What an <see cref="IRetryPolicy"/> knows when it picks the next delay.</summary>
/// <param name="Attempt">The 1-based number of the retry about to be made.</param>
/// <param name="ElapsedTime">Time since the connection was lost (or since the first attempt started).</param>
/// <param name="LastError">The error of the previous attempt, if any.</param>
public readonly record struct RetryContext(int Attempt, TimeSpan ElapsedTime, Exception? LastError);
