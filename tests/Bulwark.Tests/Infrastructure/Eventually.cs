using System.Diagnostics;

namespace Bulwark.Tests.Infrastructure;

/// <summary>
/// Waiting for something the system does in the background (the pipeline deciding an item, a worker delivering, a server
/// starting). The loop ends as soon as the condition holds, so a quiet machine is as fast as before; the overall deadline is
/// long (<see cref="Deadline"/>, 5 minutes) so a machine under heavy load (load 10 on 2 cores) is slow, not failing.
/// Only a test that never gets there waits that long.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    /// <summary>True once <paramref name="condition"/> holds; false when the deadline passed first.</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan? deadline = null)
    {
        var limit = deadline ?? Deadline;
        var start = Stopwatch.GetTimestamp();
        var pause = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            if (await condition()) return true;
            if (Stopwatch.GetElapsedTime(start) > limit) return false;
            await Task.Delay(pause);
            pause = TimeSpan.FromMilliseconds(Math.Min(500, pause.TotalMilliseconds * 1.5));
        }
    }

    public static Task<bool> UntilAsync(Func<bool> condition, TimeSpan? deadline = null) => UntilAsync(() => Task.FromResult(condition()), deadline);
}
