using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.Classifiers.Training;

namespace Bulwark.Core.Policy;

/// <summary>One row of a policy evaluation file: <c>label</c> (<c>violating</c> or <c>benign</c>), <c>lang</c>, <c>text</c>, optional <c>class</c>.</summary>
public sealed record PolicyEvalItem(bool Violating, string Language, string Text, string? Class);

/// <summary>What the text stage and the rules decided for a group of items, with 95 % Wilson intervals for the rates.</summary>
public sealed record PolicyEvalGroup
{
    public required string Label { get; init; }
    public required string Class { get; init; }
    public required string Language { get; init; }
    public int Items { get; init; }
    public int Removed { get; init; }
    public int Escalated { get; init; }
    public int Review { get; init; }
    public int Restricted { get; init; }
    public int Nothing { get; init; }
    /// <summary>Violating items: removed, escalated or sent to review.</summary>
    [JsonPropertyName("caught_rate")] public Rate? Caught { get; init; }
    /// <summary>Benign items: any outcome but no action (removed, escalated, review or restricted).</summary>
    [JsonPropertyName("sent_anywhere_rate")] public Rate? SentAnywhere { get; init; }
    /// <summary>Items escalated (reported for every group; the target is on the <c>threat-time-place</c> class).</summary>
    [JsonPropertyName("escalated_rate")] public Rate? EscalatedRate { get; init; }
}

/// <summary>A proportion with its 95 % Wilson score interval.</summary>
public sealed record Rate(int Count, int Of, double Value, double Low, double High)
{
    public static Rate Wilson(int count, int of)
    {
        if (of == 0) return new Rate(0, 0, 0, 0, 1);
        const double z = 1.959963984540054;
        var p = (double)count / of;
        var denominator = 1 + z * z / of;
        var centre = (p + z * z / (2 * of)) / denominator;
        var half = z * Math.Sqrt(p * (1 - p) / of + z * z / (4.0 * of * of)) / denominator;
        return new Rate(count, of, p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>E.g. <c>95.2% [91.0–97.5]</c>.</summary>
    public override string ToString() => Of == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{Value * 100:0.0}% [{Low * 100:0.0}–{High * 100:0.0}]");
}

/// <summary>One item's decision, for listing misses.</summary>
public sealed record PolicyEvalOutcome(PolicyEvalItem Item, string Outcome, IReadOnlyList<string> Rules, IReadOnlyList<string> Signals);

public sealed record PolicyEvalReport
{
    public required string Data { get; init; }
    public required int Items { get; init; }
    public required string RuleSet { get; init; }
    /// <summary>The signal extractors that ran on every item, in pipeline order.</summary>
    public required IReadOnlyList<string> Extractors { get; init; }
    /// <summary>Registered extractors that could not run on text alone here (name → the error of their first attempt); left out.</summary>
    public required IReadOnlyDictionary<string, string> Unavailable { get; init; }
    /// <summary>Per label and language (class <c>*</c>), then per class and language.</summary>
    public required IReadOnlyList<PolicyEvalGroup> Groups { get; init; }
    [JsonIgnore] public IReadOnlyList<PolicyEvalOutcome> Outcomes { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, PolicyEvalJson.Default.PolicyEvalReport);
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PolicyEvalReport))]
internal sealed partial class PolicyEvalJson : JsonSerializerContext;

/// <summary>
/// What the whole text stage and the rules decide on labelled texts: each item becomes a text-only content event (no account,
/// no media), every registered signal extractor runs on it in pipeline order (the classifiers, time and place, entity
/// screening and any other text detector; those that read media or an account find none), and the rules decide as in the
/// pipeline, with an account that has no history. Counts removed / escalated / review / restricted / nothing per label,
/// class and language. An extractor that fails on text alone (e.g. entity screening without its database) is left out of
/// every item and named in the report.
/// </summary>
public static class TextStageEvaluator
{
    public const string Violating = "violating", Benign = "benign";

    /// <summary>Whether a CSV header is this format (a <c>label</c> and a <c>text</c> column, no per-head label columns).</summary>
    public static bool IsPolicyFile(IReadOnlyDictionary<string, int> header) =>
        header.ContainsKey("label") && header.ContainsKey("text") && !header.ContainsKey("threat") && !header.ContainsKey("hate") && !header.ContainsKey("glorification");

    /// <summary>Reads <c>label,lang,text[,class]</c>; a clear <see cref="InvalidDataException"/> names the record and the bad value.</summary>
    public static List<PolicyEvalItem> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Data file '{path}' does not exist.", path);
        var (h, rows) = Csv.Read(path);
        foreach (var col in new[] { "label", "lang", "text" })
            if (!h.ContainsKey(col)) throw new InvalidDataException($"{path}: no '{col}' column (expected label,lang,text[,class]).");
        h.TryGetValue("class", out var classCol);
        var hasClass = h.ContainsKey("class");
        var items = new List<PolicyEvalItem>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            string Get(string col) => h[col] < rows[i].Length ? rows[i][h[col]].Trim() : "";
            var label = Get("label").ToLowerInvariant();
            if (label is not (Violating or Benign)) throw new InvalidDataException($"{path}: record {i + 2}: label must be '{Violating}' or '{Benign}', not '{label}'.");
            var lang = Get("lang").ToLowerInvariant();
            if (lang.Length == 0) throw new InvalidDataException($"{path}: record {i + 2}: lang is empty.");
            var text = h["text"] < rows[i].Length ? rows[i][h["text"]] : "";
            var cls = hasClass && classCol < rows[i].Length && rows[i][classCol].Trim() is { Length: > 0 } c ? c : null;
            items.Add(new PolicyEvalItem(label == Violating, lang, text, cls));
        }
        return items;
    }

    public static async Task<PolicyEvalReport> EvaluateAsync(IReadOnlyList<PolicyEvalItem> items, IEnumerable<ISignalExtractor> extractors, RuleSet rules,
        EnforcementOptions options, string dataName, string kind = "text", CancellationToken ct = default)
    {
        var active = extractors.ToList();
        var unavailable = new Dictionary<string, string>(StringComparer.Ordinal);
        var outcomes = new List<PolicyEvalOutcome>(items.Count);
        var hits = new List<RuleHit>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var id = $"eval-{i + 1}";
            var e = new ContentEvent { Id = id, Kind = kind, Text = item.Text, Language = item.Language };
            var context = new PipelineContext(i + 1, id, 1, e);
            foreach (var x in active.ToList())
            {
                StageResult result;
                try { result = await x.ExtractAsync(context, ct); }
                catch (Exception ex) when (ex is not OperationCanceledException) { result = StageResult.Permanent($"{ex.GetType().Name}: {ex.Message}"); }
                if (result.Ok) continue;
                if (outcomes.Count > 0)
                    throw new InvalidOperationException($"Extractor '{x.Name}' ran on {outcomes.Count} items and then failed on item {i + 1}: {result.Error}");
                unavailable[x.Name] = result.Error ?? "failed";
                active.Remove(x);
            }
            var input = RulesDecider.InputOf(e, context.Signals, AccountFacts.None);
            hits.Clear();
            rules.Evaluate(input, hits);
            var d = DecisionBuilder.Build(rules, hits, input, id, null, options);
            outcomes.Add(new PolicyEvalOutcome(item, d.Outcome, d.Fired.Where(f => f.Mode != "shadow").Select(f => f.Rule).ToList(),
                context.Signals.Select(s => s.Score is { } score ? string.Create(CultureInfo.InvariantCulture, $"{s.Type} {score:0.00}") : s.Type).ToList()));
        }
        var groups = new List<PolicyEvalGroup>();
        foreach (var g in outcomes.GroupBy(o => (Label: o.Item.Violating ? Violating : Benign, o.Item.Language)).OrderBy(g => g.Key.Label, StringComparer.Ordinal).ThenBy(g => g.Key.Language, StringComparer.Ordinal))
            groups.Add(Group(g.Key.Label, "*", g.Key.Language, g.ToList()));
        foreach (var g in outcomes.Where(o => o.Item.Class is not null)
                     .GroupBy(o => (Label: o.Item.Violating ? Violating : Benign, Class: o.Item.Class!, o.Item.Language))
                     .OrderBy(g => g.Key.Label, StringComparer.Ordinal).ThenBy(g => g.Key.Class, StringComparer.Ordinal).ThenBy(g => g.Key.Language, StringComparer.Ordinal))
            groups.Add(Group(g.Key.Label, g.Key.Class, g.Key.Language, g.ToList()));
        return new PolicyEvalReport
        {
            Data = dataName, Items = items.Count, RuleSet = rules.Hash, Extractors = active.Select(x => x.Name).ToList(),
            Unavailable = unavailable, Groups = groups, Outcomes = outcomes,
        };
    }

    private static PolicyEvalGroup Group(string label, string cls, string lang, List<PolicyEvalOutcome> items)
    {
        int Count(string outcome) => items.Count(o => o.Outcome == outcome);
        int removed = Count(Pipeline.Outcomes.Remove), escalated = Count(Pipeline.Outcomes.Escalate), review = Count(Pipeline.Outcomes.Review),
            restricted = Count(Pipeline.Outcomes.Restrict);
        var n = items.Count;
        return new PolicyEvalGroup
        {
            Label = label, Class = cls, Language = lang, Items = n, Removed = removed, Escalated = escalated, Review = review,
            Restricted = restricted, Nothing = n - removed - escalated - review - restricted,
            Caught = label == Violating ? Rate.Wilson(removed + escalated + review, n) : null,
            SentAnywhere = label == Benign ? Rate.Wilson(removed + escalated + review + restricted, n) : null,
            EscalatedRate = Rate.Wilson(escalated, n),
        };
    }
}
