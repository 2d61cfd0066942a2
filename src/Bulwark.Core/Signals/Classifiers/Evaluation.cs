using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Core.Signals.Classifiers.Training;

namespace Bulwark.Core.Signals.Classifiers;

public sealed record LabelMetrics(string Label, int Rows, int Positives, double Precision, double Recall, double F1, double? RocAuc, double FlaggedShare)
{
    /// <summary>The reliability curve of the head's probabilities on this file (ten equal-width bins) and its expected calibration error.</summary>
    public Reliability? Reliability { get; init; }
}

/// <summary>One bin of a reliability curve: rows whose predicted probability falls in [Low, High), their mean prediction and observed positive rate.</summary>
public sealed record ReliabilityBin(double Low, double High, int Rows, double MeanPredicted, double Observed);

/// <summary>A reliability curve and its expected calibration error (ECE: the row-weighted mean of |observed − predicted| over bins).</summary>
public sealed record Reliability(IReadOnlyList<ReliabilityBin> Bins, double Ece)
{
    public static Reliability Of(IReadOnlyList<(double P, bool Y)> scored, int bins = 10)
    {
        var result = new List<ReliabilityBin>();
        double ece = 0;
        for (var b = 0; b < bins; b++)
        {
            double low = (double)b / bins, high = (double)(b + 1) / bins;
            var inBin = scored.Where(s => s.P >= low && (s.P < high || b == bins - 1)).ToList();
            if (inBin.Count == 0) continue;
            var predicted = inBin.Average(s => s.P);
            var observed = inBin.Count(s => s.Y) / (double)inBin.Count;
            ece += inBin.Count * Math.Abs(observed - predicted);
            result.Add(new ReliabilityBin(low, high, inBin.Count, predicted, observed));
        }
        return new Reliability(result, scored.Count == 0 ? 0 : ece / scored.Count);
    }
}

/// <summary>The figures of one model on one file; <see cref="OverallAccuracy"/> and <see cref="Functionalities"/> only for HateCheck files.</summary>
public sealed record EvaluationReport
{
    public required string Model { get; init; }
    public required string Data { get; init; }
    public required int Rows { get; init; }
    public required IReadOnlyList<LabelMetrics> Labels { get; init; }
    /// <summary>Share of rows on which at least one head fires, per <c>source</c> value of the file.</summary>
    public IReadOnlyDictionary<string, double>? AnyLabelFlaggedBySource { get; init; }
    [JsonPropertyName("overall_accuracy")] public double? OverallAccuracy { get; init; }
    [JsonPropertyName("functionalities")] public IReadOnlyDictionary<string, double>? Functionalities { get; init; }
    /// <summary>HateCheck only: per functionality, the share of its cases on which each head fires (aggregate figures, no cases).</summary>
    [JsonPropertyName("functionality_head_shares")] public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? FunctionalityHeadShares { get; init; }
    /// <summary>The bag-of-words baseline on the same file.</summary>
    public EvaluationReport? Baseline { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, ClassifierJson.Default.EvaluationReport);
}

/// <summary>Per-label precision, recall, F1 and ROC AUC; for HateCheck files, accuracy overall and per functionality.</summary>
public static class ClassifierEvaluator
{
    /// <summary>The non-hateful HateCheck functionalities whose accuracy the floors keep (counter-speech, negation, profanity, non-protected targets).</summary>
    public static IReadOnlyList<string> ContrastFunctionalities { get; } =
        ["counter_quote_nh", "counter_ref_nh", "negate_neg_nh", "profanity_nh", "target_obj_nh", "target_indiv_nh", "target_group_nh"];

    public static IReadOnlyList<string> ThreatFunctionalities { get; } = ["threat_dir_h", "threat_norm_h"];

    /// <param name="wholeText">Score each row as one window (<see cref="ITextClassifier.Score"/>), as models before 1.4.0 were
    /// deployed; by default rows are scored as the pipeline scores them (<see cref="WindowedScoring"/>: strongest window, short
    /// texts not scored).</param>
    public static EvaluationReport Evaluate(ITextClassifier model, IReadOnlyList<LabelledText> rows, string dataName, bool wholeText = false)
    {
        var heads = model.Manifest.Heads;
        var probs = new double[rows.Count, heads.Count];
        var fired = new bool[rows.Count];
        var firedBy = new bool[rows.Count, heads.Count];
        Span<double> p = stackalloc double[heads.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            if (wholeText) model.Score(rows[i].Text, p);
            else WindowedScoring.Score(model, rows[i].Text).Probabilities.CopyTo(p);
            for (var h = 0; h < heads.Count; h++)
            {
                probs[i, h] = p[h];
                if (p[h] >= heads[h].Threshold) fired[i] = firedBy[i, h] = true;
            }
        }
        var labels = new List<LabelMetrics>();
        for (var h = 0; h < heads.Count; h++)
        {
            var label = heads[h].Label;
            var scored = new List<(double P, bool Y)>();
            for (var i = 0; i < rows.Count; i++)
                if (rows[i].Labels.TryGetValue(label, out var y)) scored.Add((probs[i, h], y));
            if (scored.Count == 0) continue;
            var threshold = heads[h].Threshold;
            int tp = 0, fp = 0, fn = 0;
            foreach (var (prob, y) in scored)
            {
                var hit = prob >= threshold;
                if (hit && y) tp++;
                else if (hit) fp++;
                else if (y) fn++;
            }
            var precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
            var recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            labels.Add(new LabelMetrics(label, scored.Count, scored.Count(s => s.Y), precision, recall, f1, RocAuc(scored), (double)(tp + fp) / scored.Count)
                { Reliability = Reliability.Of(scored) });
        }
        var hateCheck = rows.Count > 0 && rows.All(r => r.Hateful is not null);
        Dictionary<string, double>? functionalities = null;
        Dictionary<string, IReadOnlyDictionary<string, double>>? headShares = null;
        double? overall = null;
        if (hateCheck)
        {
            var correct = Enumerable.Range(0, rows.Count).Select(i => fired[i] == rows[i].Hateful).ToArray();
            overall = correct.Count(c => c) / (double)rows.Count;
            functionalities = Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].Functionality ?? "")
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(i => correct[i]) / (double)g.Count());
            headShares = Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].Functionality ?? "")
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, double>)Enumerable.Range(0, heads.Count)
                    .ToDictionary(h => heads[h].Label, h => g.Count(i => firedBy[i, h]) / (double)g.Count()));
        }
        var bySource = rows.Any(r => r.Source is not null)
            ? Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].Source ?? "").OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(i => fired[i]) / (double)g.Count())
            : null;
        return new EvaluationReport
        {
            Model = $"{model.Manifest.Id}@{model.Manifest.Version}", Data = dataName, Rows = rows.Count, Labels = labels,
            AnyLabelFlaggedBySource = bySource, OverallAccuracy = overall, Functionalities = functionalities,
            FunctionalityHeadShares = headShares,
        };
    }

    /// <summary>Mann–Whitney form of the ROC AUC, ties counted half; null when only one class is present.</summary>
    internal static double? RocAuc(List<(double P, bool Y)> scored)
    {
        var pos = scored.Count(s => s.Y);
        var neg = scored.Count - pos;
        if (pos == 0 || neg == 0) return null;
        var sorted = scored.OrderBy(s => s.P).ToList();
        double rankSum = 0;
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j < sorted.Count && sorted[j].P == sorted[i].P) j++;
            var rank = (i + 1 + j) / 2.0;
            for (var k = i; k < j; k++) if (sorted[k].Y) rankSum += rank;
            i = j;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double)pos * neg);
    }

    /// <summary>A plain-text table of the model beside its baseline.</summary>
    public static string Format(EvaluationReport r)
    {
        var sb = new StringBuilder();
        var b = r.Baseline;
        sb.AppendLine($"{r.Data}: {r.Rows} rows; model {r.Model}" + (b is null ? "" : $", baseline {b.Model}"));
        sb.AppendLine($"{"label",-14} {"rows",6} {"pos",6}  {"precision",9} {"recall",7} {"F1",6} {"ROC AUC",7} {"flagged",7}" + (b is null ? "" : "  | baseline P / R / F1 / AUC"));
        foreach (var m in r.Labels)
        {
            var bm = b?.Labels.FirstOrDefault(x => x.Label == m.Label);
            sb.Append($"{m.Label,-14} {m.Rows,6} {m.Positives,6}  {m.Precision,9:P1} {m.Recall,7:P1} {m.F1,6:0.000} {Auc(m.RocAuc),7} {m.FlaggedShare,7:P1}");
            if (bm is not null) sb.Append($"  | {bm.Precision:P1} / {bm.Recall:P1} / {bm.F1:0.000} / {Auc(bm.RocAuc)}");
            sb.AppendLine();
        }
        foreach (var m in r.Labels)
            if (m.Reliability is { Bins.Count: > 0 } rel && m.Positives > 0 && m.Positives < m.Rows)
                sb.AppendLine($"{m.Label} reliability (predicted→observed, rows): " + string.Join("  ", rel.Bins.Select(x => $"{x.MeanPredicted:0.00}→{x.Observed:0.00} ({x.Rows})")) + $"; ECE {rel.Ece:0.000}");
        if (r.AnyLabelFlaggedBySource is { } sources)
        {
            sb.AppendLine("any label fires, by source:");
            foreach (var (source, share) in sources)
                sb.AppendLine($"  {source,-24} {share,7:P2}" + (b?.AnyLabelFlaggedBySource?.TryGetValue(source, out var bs) == true ? $"  | baseline {bs:P2}" : ""));
        }
        if (r.OverallAccuracy is { } acc)
        {
            sb.AppendLine($"HateCheck overall accuracy {acc:P1}" + (b?.OverallAccuracy is { } ba ? $"  | baseline {ba:P1}" : ""));
            foreach (var (f, a) in r.Functionalities!)
                sb.AppendLine($"  {f,-20} {a,7:P1}" + (b?.Functionalities?.TryGetValue(f, out var bf) == true ? $"  | baseline {bf:P1}" : ""));
        }
        return sb.ToString();
    }

    private static string Auc(double? auc) => auc is { } a ? a.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : "n/a";
}
