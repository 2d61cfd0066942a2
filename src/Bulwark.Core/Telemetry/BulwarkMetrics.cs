using System.Diagnostics.Metrics;

namespace Bulwark.Core.Telemetry;

/// <summary>The pipeline's OpenTelemetry instruments (meter <c>Bulwark</c>).</summary>
public sealed class BulwarkMetrics : IDisposable
{
    public const string MeterName = "Bulwark";

    /// <summary>
    /// Stage buckets in milliseconds. Most text stages take microseconds per item, far under OpenTelemetry's default first
    /// bucket (5 ms); media stages take up to seconds.
    /// </summary>
    public static readonly IReadOnlyList<double> StageBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
    private readonly Meter _meter;
    private long _queueDepth;

    public BulwarkMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        EventsAccepted = _meter.CreateCounter<long>("bulwark.ingest.accepted", "{event}", "Content events durably accepted.");
        EventsRejected = _meter.CreateCounter<long>("bulwark.ingest.rejected", "{event}", "Content events refused by validation.");
        EventsDecided = _meter.CreateCounter<long>("bulwark.pipeline.decided", "{event}", "Content versions that reached a decision.");
        EventsDeadLettered = _meter.CreateCounter<long>("bulwark.pipeline.dead_lettered", "{event}", "Work items moved to the dead-letter list.");
        StageLatency = _meter.CreateHistogram<double>("bulwark.pipeline.stage.duration", "ms",
            "Time one item spends in one pipeline step, tagged stage: load, prepare:<stage>, each extractor, decider, each action stage, commit (batch steps give each item an equal share).",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StageBuckets });
        _meter.CreateObservableGauge("bulwark.queue.depth", () => Interlocked.Read(ref _queueDepth), "{item}", "Work items waiting or in progress.");
    }

    public Counter<long> EventsAccepted { get; }
    public Counter<long> EventsRejected { get; }
    public Counter<long> EventsDecided { get; }
    public Counter<long> EventsDeadLettered { get; }
    public Histogram<double> StageLatency { get; }

    public void SetQueueDepth(long depth) => Interlocked.Exchange(ref _queueDepth, depth);

    public void Dispose() => _meter.Dispose();
}
