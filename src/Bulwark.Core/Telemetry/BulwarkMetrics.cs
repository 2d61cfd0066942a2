using System.Diagnostics.Metrics;

namespace Bulwark.Core.Telemetry;

/// <summary>The pipeline's OpenTelemetry instruments (meter <c>Bulwark</c>).</summary>
public sealed class BulwarkMetrics : IDisposable
{
    public const string MeterName = "Bulwark";
    private readonly Meter _meter;
    private long _queueDepth;

    public BulwarkMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        EventsAccepted = _meter.CreateCounter<long>("bulwark.ingest.accepted", "{event}", "Content events durably accepted.");
        EventsRejected = _meter.CreateCounter<long>("bulwark.ingest.rejected", "{event}", "Content events refused by validation.");
        EventsDecided = _meter.CreateCounter<long>("bulwark.pipeline.decided", "{event}", "Content versions that reached a decision.");
        EventsDeadLettered = _meter.CreateCounter<long>("bulwark.pipeline.dead_lettered", "{event}", "Work items moved to the dead-letter list.");
        StageLatency = _meter.CreateHistogram<double>("bulwark.pipeline.stage.duration", "ms", "Time spent in one pipeline stage for one item.");
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
