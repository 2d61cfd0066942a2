using Bulwark.Core.Pipeline;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Pipeline.Conformance;

/// <summary>
/// A queue under test on a migrated database, fed the way ingest feeds it (through <see cref="IWorkInbox"/>), with a way to
/// let time pass: the fake clock for the database queue, real time for a broker (whose leases and delays are its own clock's).
/// </summary>
public abstract class QueueHarness : IAsyncDisposable
{
    protected QueueHarness(CoreServices core) => Core = core;

    public CoreServices Core { get; }
    public abstract IWorkQueue Queue { get; }

    /// <summary>The time the queue's leases and backoffs are measured against.</summary>
    public abstract DateTimeOffset Now { get; }

    public abstract Task PassAsync(TimeSpan span);

    public virtual async ValueTask DisposeAsync() => await Core.DisposeAsync();

    /// <summary>The settings every conformance test runs with (attempts, backoff), plus the lease.</summary>
    public static Dictionary<string, string?> Settings(int leaseSeconds) => new()
    {
        ["Bulwark:Pipeline:LeaseSeconds"] = leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Bulwark:Pipeline:MaxAttempts"] = "3",
        ["Bulwark:Pipeline:BackoffBaseMilliseconds"] = "1000",
        ["Bulwark:Pipeline:BackoffMaxMilliseconds"] = "4000",
        ["Bulwark:Pipeline:PollMilliseconds"] = "200",
    };
}

/// <summary>The database queue: its leases and backoffs read the injected clock, which the harness advances.</summary>
public sealed class DbQueueHarness(CoreServices core) : QueueHarness(core)
{
    public override IWorkQueue Queue => Core.Get<IWorkQueue>();
    public override DateTimeOffset Now => Core.Clock.GetUtcNow();

    public override Task PassAsync(TimeSpan span)
    {
        Core.Clock.Advance(span);
        return Task.CompletedTask;
    }
}
