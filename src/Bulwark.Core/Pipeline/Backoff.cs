namespace Bulwark.Core.Pipeline;

/// <summary>Exponential backoff with full jitter ("decorrelated" bursts of retries after an outage are what jitter prevents).</summary>
public sealed class Backoff(PipelineOptions options, Random random)
{
    public TimeSpan Delay(int attempt)
    {
        var ceiling = Math.Min(options.BackoffMaxMilliseconds, options.BackoffBaseMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        double fraction;
        // The Random is the process-wide injected one (shared with webhooks, SoR submission, QA sampling): every user locks the
        // instance itself, since Random is not thread-safe and separate locks would not exclude each other.
        lock (random) fraction = random.NextDouble();
        // Half fixed, half random: never retry immediately, never all at once.
        return TimeSpan.FromMilliseconds(ceiling / 2 + fraction * ceiling / 2);
    }
}
