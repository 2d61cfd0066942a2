using Bulwark.Core.Pipeline;
using Bulwark.Core.Storage;
using Bulwark.Queue.JetStream;
using Bulwark.Tests.Infrastructure;
using Bulwark.Tests.Pipeline.Conformance;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bulwark.Tests.Queue.JetStream;

/// <summary>
/// The JetStream queue on the server in <c>BULWARK_TEST_NATS</c> (./test.sh starts a throwaway one, see scripts/nats.sh), with
/// its own stream, subject and consumer per test, fed by a running outbox relay. Leases and delays are the broker's, in real
/// time, so letting time pass is waiting.
/// </summary>
public sealed class JetStreamHarness : QueueHarness
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _relaying;

    private JetStreamHarness(CoreServices core, JetStreamBroker broker, JetStreamWorkQueue queue, OutboxRelay relay, bool startRelay) : base(core)
    {
        Broker = broker;
        JetStreamQueue = queue;
        Relay = relay;
        _relaying = startRelay ? relay.StartAsync(_stop.Token) : Task.CompletedTask;
    }

    public JetStreamBroker Broker { get; }
    public JetStreamWorkQueue JetStreamQueue { get; }
    public OutboxRelay Relay { get; }
    public override IWorkQueue Queue => JetStreamQueue;
    public override DateTimeOffset Now => DateTimeOffset.UtcNow;
    public override Task PassAsync(TimeSpan span) => Task.Delay(span);

    public static string? Server => Environment.GetEnvironmentVariable("BULWARK_TEST_NATS") is { Length: > 0 } s ? s : null;

    public static void RequireNats()
    {
        if (Server is not null) return;
        if (TestDatabase.ServicesRequired) Assert.Fail("BULWARK_REQUIRE_SERVICES=1 but BULWARK_TEST_NATS is not set: JetStream tests cannot run.");
        Assert.Skip("NATS JetStream not configured: set BULWARK_TEST_NATS to a nats:// URL of a server started with -js (./test.sh starts a throwaway one, see scripts/nats.sh).");
    }

    public static JetStreamOptions UniqueOptions(string? url = null)
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        return new JetStreamOptions { Url = url ?? Server!, Stream = $"T_{tag}", Subject = $"test.{tag}", Consumer = $"w_{tag}", RelayBatchSize = 200 };
    }

    /// <param name="startRelay">False to drive the relay by hand (<see cref="OutboxRelay.RelayOnceAsync"/>).</param>
    public static async Task<JetStreamHarness> StartAsync(DatabaseProvider provider, Dictionary<string, string?> settings, JetStreamOptions? options = null, bool startRelay = true)
    {
        RequireNats();
        var core = await CoreServices.CreateAsync(provider, settings);
        var pipeline = core.Get<PipelineOptions>();
        var backoff = core.Get<Backoff>();
        var broker = new JetStreamBroker(options ?? UniqueOptions(), pipeline, NullLogger<JetStreamBroker>.Instance);
        var queue = new JetStreamWorkQueue(broker, pipeline, backoff, core.Get<DbDeadLetters>(), core.Get<IBulwarkDbFactory>(), NullLogger<JetStreamWorkQueue>.Instance);
        // The relay's outbox leases use real time (the test's fake clock never moves on its own).
        var relay = new OutboxRelay(core.Get<IBulwarkDbFactory>(), broker, core.Get<WorkSignal>(), pipeline, backoff, TimeProvider.System, NullLogger<OutboxRelay>.Instance);
        return new JetStreamHarness(core, broker, queue, relay, startRelay);
    }

    public override async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Relay.StopAsync(CancellationToken.None);
        try { await _relaying; } catch (OperationCanceledException) { }
        try { await Broker.Context.DeleteStreamAsync(Broker.Options.Stream); } catch (Exception) { /* the server may be gone in a fault test */ }
        await Broker.DisposeAsync();
        Relay.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>The same conformance suite as the database queue, on JetStream (outbox and dead letters on SQLite and PostgreSQL).</summary>
public sealed class JetStreamWorkQueueConformanceTests : WorkQueueConformance
{
    protected override async Task<QueueHarness> StartAsync(DatabaseProvider provider, int leaseSeconds) =>
        await JetStreamHarness.StartAsync(provider, QueueHarness.Settings(leaseSeconds));
}
