using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Signals.Classifiers;
using Bulwark.Core.Signals.ViolentSpeech;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bulwark.Core.Signals.Semantic;

/// <summary>Bound from <c>Bulwark:Semantic</c>.</summary>
public sealed class SemanticOptions
{
    public const string Section = "Bulwark:Semantic";

    /// <summary>
    /// Off by default: on the held-out dev3b sets the shipped head (1.1.0) with its rules lifts English violating caught from
    /// 45.6 % to 58.2 % but sends 3 of 79 English hard negatives anywhere (1 without it), above the 3 % benign condition set for
    /// turning it on, and it adds nothing in Italian (docs/semantic.md). An operator turns it on knowingly; it then loads about
    /// 90 MB of model on first use.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// At most this many texts per second (per process) are embedded; texts beyond it are not scored by this detector (the
    /// others still run). 0 = no limit. The embedding costs milliseconds per text against the text stage's tenth of a
    /// millisecond, so this bounds the share of the pipeline's CPU it can take (docs/semantic.md, "Cost").
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxPerSecond { get; set; } = 50;

    /// <summary>A head file written by <c>bulwark semantic train</c> to use instead of the shipped one (empty: the shipped head).</summary>
    public string? HeadPath { get; set; }

    /// <summary>Scores below this are not recorded as signals.</summary>
    [Range(0.0, 1.0)]
    public double MinRecordedScore { get; set; } = 0.3;
}

public static class SemanticSignalTypes
{
    /// <summary>
    /// The sentence-embedding model's probability that a text is violating (threat, call to violence, praise of an attack,
    /// support, instructions), labelled <c>fired</c> at the head's threshold or <c>below-threshold</c>.
    /// </summary>
    public const string Violent = "semantic.violent";
}

/// <summary>
/// Scores an item's prose fields (<see cref="PipelineTexts.Of"/>, not identifiers or texts under three words) with
/// <see cref="SemanticHead"/> over <see cref="SentenceEmbedder"/> vectors and records one <c>semantic.violent</c> signal
/// per field. It reads meaning rather than words, so it catches wording the analyser's patterns and the n-gram model do
/// not know, at a far higher cost: an item another detector already found confidently (a speech.* signal ≥ 0.8) is not
/// embedded again, and at most <see cref="SemanticOptions.MaxPerSecond"/> texts per second are.
/// </summary>
public sealed class SemanticExtractor(SemanticOptions options, TimeProvider time) : ISignalExtractor
{
    public const double AlreadyFoundScore = 0.8;
    private readonly SemanticHead _head = options.HeadPath is { Length: > 0 } path ? SemanticHead.Load(path) : SemanticHead.Shipped;
    private readonly Lock _gate = new();
    private double _tokens = options.MaxPerSecond;
    private long _last = time.GetTimestamp();
    private long _skipped;

    public string Name => "semantic";

    /// <summary>Texts not scored because the per-second budget was spent (since start).</summary>
    public long SkippedForBudget => Interlocked.Read(ref _skipped);

    public ValueTask<StageResult> ExtractAsync(PipelineContext context, CancellationToken ct)
    {
        if (!options.Enabled) return ValueTask.FromResult(StageResult.Success);
        if (context.Signals.Any(s => s.Type.StartsWith("speech.", StringComparison.Ordinal) && s.Score >= AlreadyFoundScore))
            return ValueTask.FromResult(StageResult.Success);
        foreach (var (field, value) in PipelineTexts.Of(context))
        {
            ct.ThrowIfCancellationRequested();
            if (TextWindows.NotProse(field, value) is not null || field == "account.displayName") continue;
            if (!TakeToken()) { Interlocked.Increment(ref _skipped); continue; }
            var score = _head.Score(SentenceEmbedder.Embed(value, ct));
            if (score < options.MinRecordedScore) continue;
            var fired = score >= _head.Threshold;
            context.Signals.Add(new Signal(SemanticSignalTypes.Violent, Name,
                string.Create(CultureInfo.InvariantCulture,
                    $"{field}: {score:0.00} by the sentence-meaning model {_head.Tag} ({SentenceEmbedder.ModelName} embeddings; threshold {_head.Threshold:0.00}): "
                    + $"its wording reads like violating text it was trained on (threats, calls to violence, praise of attacks), with no specific phrase to point at"),
                Value: field, Score: score, Labels: [$"field:{field}", $"model:{_head.Tag}", fired ? "fired" : "below-threshold"]));
        }
        return ValueTask.FromResult(StageResult.Success);
    }

    private bool TakeToken()
    {
        if (options.MaxPerSecond == 0) return true;
        lock (_gate)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(options.MaxPerSecond, _tokens + time.GetElapsedTime(_last, now).TotalSeconds * options.MaxPerSecond);
            _last = now;
            if (_tokens < 1) return false;
            _tokens -= 1;
            return true;
        }
    }
}

public static class SemanticRegistration
{
    /// <summary>The sentence-meaning detector's options and signal extractor (after the violent-speech analyser, whose confident findings it skips).</summary>
    public static IServiceCollection AddBulwarkSemantic(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SemanticOptions>().Bind(configuration.GetSection(SemanticOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SemanticOptions>>().Value);
        services.AddSingleton<ISignalExtractor, SemanticExtractor>();
        return services;
    }
}
