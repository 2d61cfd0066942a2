namespace Bulwark.Core.Pipeline;

/// <summary>Exponential backoff with full jitter ("decorrelated" bursts of retries after an outage are what jitter prevents).</summary>
public sealed class Backoff(PipelineOptions options, Random random)
{
    private readonly Lock _lock = new();

    public TimeSpan Delay(int attempt)
    {
        var ceiling = Math.Min(options.BackoffMaxMilliseconds, options.BackoffBaseMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        double fraction;
        lock (_lock) fraction = random.NextDouble();
        // Half fixed, half random: never retry immediately, never all at once.
        return TimeSpan.FromMilliseconds(ceiling / 2 + fraction * ceiling / 2);
    }
}
