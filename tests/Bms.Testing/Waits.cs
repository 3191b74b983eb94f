using Xunit;

namespace Bms.Testing;

/// <summary>
/// The timeouts tests put on their awaits. Generous on purpose: the tests share a loaded machine, and a timeout only
/// decides how long a broken test takes to fail, never whether a working one passes.
/// </summary>
public static class Waits
{
    /// <summary>One step that should take milliseconds: a packet, an acknowledgement, an HTTP call (10 s).</summary>
    public static readonly TimeSpan Short = TimeSpan.FromSeconds(10);

    /// <summary>One step that starts something: a host, a connection with retries, a child process (30 s).</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <summary>A whole scenario or a package install (5 min).</summary>
    public static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Polls <paramref name="condition"/> every <paramref name="poll"/> (default 20 ms) until it holds; fails the test
    /// with <paramref name="failure"/> when it still does not after <paramref name="within"/> (default <see cref="Short"/>).
    /// </summary>
    public static Task UntilAsync(Func<bool> condition, string failure = "condition not met in time", TimeSpan? within = null, TimeSpan? poll = null) =>
        UntilAsync(() => Task.FromResult(condition()), failure, within, poll);

    /// <summary>
    /// <see cref="UntilAsync(Func{bool}, string, TimeSpan?, TimeSpan?)"/> for a condition that has to await (a query
    /// to another node, a probe message); one evaluation is bounded by <paramref name="within"/> too.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string failure = "condition not met in time", TimeSpan? within = null, TimeSpan? poll = null)
    {
        var limit = within ?? Short;
        var deadline = DateTime.UtcNow + limit;
        while (!await condition().WaitAsync(limit))
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(20));
        }
    }
}
