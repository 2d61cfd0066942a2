using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bulwark.Core.Signals.ViolentSpeech;

/// <summary>The signal types of the violent-speech analyser; rules read <c>max speech.threat.score</c> and their labels.</summary>
public static class ViolentSpeechSignalTypes
{
    /// <summary>The speaker's own threat of violence against a person, group or place.</summary>
    public const string Threat = "speech.threat";
    /// <summary>A call on others to commit violence ("kill them", "someone should…", "they deserve to die").</summary>
    public const string Incitement = "speech.incitement";
    /// <summary>Praise of an attack, its perpetrators or a designated group.</summary>
    public const string Glorification = "speech.glorification";
    /// <summary>Recruitment, allegiance or material support for a designated group or its cause (label <c>recruitment</c>, <c>allegiance</c> or <c>support</c>).</summary>
    public const string Support = "speech.support";
    /// <summary>Instructions for an attack: an imperative or advice + a method, weapon or choice of victims + a human target or crowded place.</summary>
    public const string Instructions = "speech.instructions";

    public static IReadOnlyList<string> All { get; } = [Threat, Incitement, Glorification, Support, Instructions];

    public static string For(SpeechKind kind) => kind switch
    {
        SpeechKind.Threat => Threat,
        SpeechKind.Incitement => Incitement,
        SpeechKind.Glorification => Glorification,
        SpeechKind.Instructions => Instructions,
        _ => Support,
    };
}

/// <summary>Bound from <c>Bulwark:ViolentSpeech</c>.</summary>
public sealed class ViolentSpeechOptions
{
    public const string Section = "Bulwark:ViolentSpeech";

    public bool Enabled { get; set; } = true;

    /// <summary>Findings scoring below this are not recorded as signals (reported or joking threats usually fall below it).</summary>
    [Range(0.0, 1.0)]
    public double MinRecordedScore { get; set; } = 0.3;

    /// <summary>Each field is read up to this many characters (the whole of any ordinary text).</summary>
    [Range(16, ViolentSpeechAnalyser.MaxChars)]
    public int MaxChars { get; set; } = 256 * 1024;
}

/// <summary>
/// Runs <see cref="ViolentSpeechAnalyser"/> on an item's texts (<see cref="PipelineTexts.Of"/>) and records one signal per
/// field and kind — the strongest finding — as <c>speech.threat</c>, <c>speech.incitement</c>, <c>speech.glorification</c> or
/// <c>speech.support</c> or <c>speech.instructions</c>, with the analyser's explanation and labels: <c>field:…</c>, <c>lang:…</c>, <c>fired</c> or
/// <c>below-threshold</c>, and only when they apply <c>time</c>, <c>place</c>, <c>conditional</c>, <c>reported</c>,
/// <c>quoted</c>, <c>question</c>, <c>game-context</c>, <c>joking</c>, <c>news-context</c>, <c>truncated</c>. A fired threat
/// that names a time or place also adds a <c>text.time_place</c> signal, which the threat-to-life rule reads.
/// The account handle is an identifier, not prose, and is not read; the display name is read for glorification and support
/// only ("Future Martyr"), since a name is not a threat; the bio is read for everything.
/// </summary>
public sealed class ViolentSpeechExtractor(ViolentSpeechOptions options) : ISignalExtractor
{
    public string Name => "violent-speech";

    public ValueTask<StageResult> ExtractAsync(PipelineContext context, CancellationToken ct)
    {
        if (!options.Enabled) return ValueTask.FromResult(StageResult.Success);
        var language = context.Event.Language;
        foreach (var (field, value) in PipelineTexts.Of(context))
        {
            ct.ThrowIfCancellationRequested();
            if (field == "account.handle") continue;
            var nameOnly = field == "account.displayName";
            var truncated = value.Length > options.MaxChars;
            var findings = ViolentSpeechAnalyser.Analyse(truncated ? value[..options.MaxChars] : value, language);
            var seen = new HashSet<SpeechKind>();
            foreach (var f in findings) // strongest first
            {
                if (f.Score < options.MinRecordedScore || !seen.Add(f.Kind)) continue;
                if (nameOnly && f.Kind is SpeechKind.Threat or SpeechKind.Incitement or SpeechKind.Instructions) continue;
                context.Signals.Add(ToSignal(f, field, truncated, value.Length));
                if (f.Kind == SpeechKind.Threat && f.Fired)
                {
                    if (f.Time is { } time) context.Signals.Add(TimePlace(field, "time", time));
                    if (f.Place is { } place) context.Signals.Add(TimePlace(field, "place", place));
                }
            }
        }
        return ValueTask.FromResult(StageResult.Success);
    }

    private Signal ToSignal(SpeechFinding f, string field, bool truncated, int length)
    {
        var labels = new List<string> { $"field:{field}", $"lang:{f.Language}", f.Fired ? "fired" : "below-threshold" };
        if (f.Time is not null) labels.Add("time");
        if (f.Place is not null) labels.Add("place");
        if (f.Kind == SpeechKind.Support) labels.Add(f.Cue); // recruitment, allegiance or support
        if ((f.Modifiers & SpeechModifiers.Conditional) != 0) labels.Add("conditional");
        if ((f.Modifiers & SpeechModifiers.Reported) != 0) labels.Add("reported");
        if ((f.Modifiers & SpeechModifiers.Quoted) != 0) labels.Add("quoted");
        if ((f.Modifiers & SpeechModifiers.Question) != 0) labels.Add("question");
        if ((f.Modifiers & SpeechModifiers.GameContext) != 0) labels.Add("game-context");
        if ((f.Modifiers & SpeechModifiers.Joking) != 0) labels.Add("joking");
        if ((f.Modifiers & SpeechModifiers.NewsContext) != 0) labels.Add("news-context");
        var caveat = "";
        if (truncated) { labels.Add("truncated"); caveat = $"; only the first {options.MaxChars} of {length} characters were read"; }
        var kind = f.Kind.ToString().ToLowerInvariant();
        return new Signal(ViolentSpeechSignalTypes.For(f.Kind), Name,
            string.Create(CultureInfo.InvariantCulture, $"{field}: {kind} {f.Score:0.00} by the violent-speech analyser: {f.Explanation}{caveat}"),
            Value: field, Score: f.Score, Labels: labels);
    }

    private Signal TimePlace(string field, string kind, string expression) =>
        new(TimePlaceExtractor.SignalType, Name, $"{field} names a {kind} in a threat: \"{expression}\"", Value: expression, Labels: [kind, $"field:{field}"]);
}

public static class ViolentSpeechRegistration
{
    /// <summary>The violent-speech analyser's options and signal extractor.</summary>
    public static IServiceCollection AddBulwarkViolentSpeech(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ViolentSpeechOptions>().Bind(configuration.GetSection(ViolentSpeechOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ViolentSpeechOptions>>().Value);
        services.AddSingleton<ISignalExtractor, ViolentSpeechExtractor>();
        return services;
    }
}
