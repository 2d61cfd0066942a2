using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Bulwark.Core.Signals.Classifiers.Training;

public sealed record TrainingSettings
{
    public required string Id { get; init; }
    public string Version { get; init; } = "1.0.0";
    public IReadOnlyList<string> Languages { get; init; } = ["en", "it"];
    public FeatureOptions Features { get; init; } = FeatureOptions.Shipped;
    public int Seed { get; init; } = 20240607;
    /// <summary>Share of each head's rows held out to fit the Platt calibration (split by a hash of the text).</summary>
    public double CalibrationShare { get; init; } = 0.2;
    public float L1 { get; init; } = 0.05f;
    public float L2 { get; init; } = 0.05f;
    /// <summary>
    /// L2 regularisation of single heads, overriding <see cref="L2"/>. Since 1.2.0 the hate head has 0.5: of 0.05–4, the value
    /// with the best ROC AUC on the held-out Davidson rows of the training data. The other heads have only synthetic held-out rows,
    /// on which every value scores alike, so they keep <see cref="L2"/>.
    /// </summary>
    public IReadOnlyDictionary<string, float> HeadL2 { get; init; } = new Dictionary<string, float> { [ClassifierLabels.Hate] = 0.5f };
    /// <summary>
    /// Heads trained without the stance features (<see cref="FeatureOptions.Stance"/>): glorification praises perpetrators and
    /// groups, not protected targets, and with only synthetic praise to learn from it took "positive words" as a cue.
    /// </summary>
    public IReadOnlyCollection<string> StanceFreeHeads { get; init; } = [ClassifierLabels.Glorification];
    /// <summary>
    /// Heads with the stance gate (<see cref="HeadGates.SpeakerStance"/>): they do not fire on text whose speaker says only
    /// positive things. The gate is applied when the threshold is chosen, as it is when the model scores. Since 1.3.0 the hate
    /// head has it (docs/model-card.md).
    /// </summary>
    public IReadOnlyCollection<string> StanceGatedHeads { get; init; } = [ClassifierLabels.Hate];
    public int MaxIterations { get; init; } = 300;
    /// <summary>Weight positives and negatives of each head to equal totals (training and calibration alike).</summary>
    public bool BalanceClasses { get; init; } = true;
    /// <summary>Fixed probability at which heads fire; null: the one with the best weighted F1 on the calibration rows (0.2–0.8).</summary>
    public double? Threshold { get; init; }
    public IReadOnlyDictionary<string, string>? Notes { get; init; }
}

/// <summary>
/// Trains one L-BFGS logistic-regression head per label with ML.NET (seeded, single-threaded, so a run is reproducible),
/// then fits Platt scaling for each head on rows it did not train on, and writes the weights with their SHA-256 pinned.
/// </summary>
public static class ClassifierTrainer
{
    private sealed class Example
    {
        public bool Label { get; set; }
        public float Weight { get; set; }
        public VBuffer<float> Features { get; set; }
    }

    private sealed class Scored
    {
        public bool Label { get; set; }
        public float Weight { get; set; }
        public float Score { get; set; }
    }

    private sealed class Calibrated
    {
        public float Probability { get; set; }
    }

    public static ModelManifest Train(IReadOnlyList<LabelledText> rows, TrainingSettings settings, string outDirectory, Action<string>? log = null)
    {
        var ml = new MLContext(settings.Seed);
        var featurizer = new TextFeaturizer(settings.Features);
        if (settings.StanceGatedHeads.Count > 0 && !(settings.Features.Structure && settings.Features.Stance))
            throw new ArgumentException($"The stance gate ({string.Join(", ", settings.StanceGatedHeads)}) needs the structure and stance features.");
        var dim = featurizer.Dimension;
        var vectors = new VBuffer<float>[rows.Count];
        var onlyPositive = new bool[rows.Count];
        var scratch = new TextFeaturizer.Vector();
        for (var i = 0; i < rows.Count; i++)
        {
            featurizer.Featurize(rows[i].Text, scratch);
            vectors[i] = new VBuffer<float>(dim, scratch.Count, scratch.ValueSpan.ToArray(), scratch.IndexSpan.ToArray());
            onlyPositive[i] = scratch.SpeakerOnlyPositive;
        }
        var schema = SchemaDefinition.Create(typeof(Example));
        schema[nameof(Example.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dim);

        var heads = new List<HeadManifest>();
        var weights = new List<(float, float[])>();
        foreach (var label in ClassifierLabels.All)
        {
            var headVectors = settings.StanceFreeHeads.Contains(label) && featurizer.StanceIndices.Count > 0
                ? vectors.Select(v => WithoutIndices(v, featurizer.StanceIndices)).ToArray()
                : vectors;
            var train = new List<Example>();
            var calibrate = new List<(bool Label, float Weight, int Row)>();
            for (var i = 0; i < rows.Count; i++)
            {
                if (!rows[i].Labels.TryGetValue(label, out var y)) continue;
                if (InCalibrationShare(rows[i].Text, settings.CalibrationShare)) calibrate.Add((y, rows[i].Weight, i));
                else train.Add(new Example { Label = y, Weight = rows[i].Weight, Features = headVectors[i] });
            }
            if (settings.BalanceClasses)
            {
                // Positives and negatives get equal total weight, so a head's prior is not an accident of how much data each side has.
                var pos = train.Where(e => e.Label).Sum(e => e.Weight);
                var neg = train.Where(e => !e.Label).Sum(e => e.Weight);
                if (pos > 0 && neg > 0)
                {
                    foreach (var e in train) e.Weight *= e.Label ? (float)((pos + neg) / (2 * pos)) : (float)((pos + neg) / (2 * neg));
                    var cpos = calibrate.Where(c => c.Label).Sum(c => c.Weight);
                    var cneg = calibrate.Where(c => !c.Label).Sum(c => c.Weight);
                    if (cpos > 0 && cneg > 0)
                        calibrate = calibrate.Select(c => c with { Weight = c.Weight * (c.Label ? (float)((cpos + cneg) / (2 * cpos)) : (float)((cpos + cneg) / (2 * cneg))) }).ToList();
                }
            }
            if (train.Count(e => e.Label) == 0 || train.Count(e => !e.Label) == 0 || calibrate.Count(c => c.Label) == 0)
                throw new InvalidDataException($"Head '{label}' needs positive and negative rows for training and positive rows for calibration.");
            log?.Invoke($"{label}: training on {train.Count} rows ({train.Count(e => e.Label)} positive), calibrating on {calibrate.Count}");
            var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = nameof(Example.Label),
                FeatureColumnName = nameof(Example.Features),
                ExampleWeightColumnName = nameof(Example.Weight),
                L1Regularization = settings.L1,
                L2Regularization = settings.HeadL2.TryGetValue(label, out var headL2) ? headL2 : settings.L2,
                MaximumNumberOfIterations = settings.MaxIterations,
                NumberOfThreads = 1,
            });
            var fitted = trainer.Fit(ml.Data.LoadFromEnumerable(train, schema));
            var linear = fitted.Model.SubModel;
            var w = new float[dim];
            var dense = linear.Weights;
            for (var i = 0; i < dense.Count; i++) w[i] = dense[i];
            if (!ReferenceEquals(headVectors, vectors)) foreach (var i in featurizer.StanceIndices) w[i] = 0;
            var bias = linear.Bias;

            // Platt scaling on held-out rows: ML.NET fits p = 1 / (1 + exp(slope·score + offset)).
            var scored = calibrate.Select(c => new Scored { Label = c.Label, Weight = c.Weight, Score = RawScore(headVectors[c.Row], w, bias) }).ToList();
            var scoredView = ml.Data.LoadFromEnumerable(scored);
            var platt = ml.BinaryClassification.Calibrators.Platt(nameof(Scored.Label), nameof(Scored.Score), nameof(Scored.Weight)).Fit(scoredView);
            var plattModel = ((IPredictionTransformer<Microsoft.ML.Calibrators.PlattCalibrator>)platt).Model;
            var calibration = new Calibration("platt", plattModel.Slope, plattModel.Offset);
            // Our formula must be ML.NET's: check it on the first held-out rows.
            var reference = ml.Data.CreateEnumerable<Calibrated>(platt.Transform(scoredView), reuseRowObject: false).Take(50).ToList();
            for (var i = 0; i < reference.Count; i++)
                if (Math.Abs(reference[i].Probability - calibration.Apply(scored[i].Score)) > 1e-4)
                    throw new InvalidOperationException($"Calibration formula disagrees with ML.NET for head '{label}'.");
            // The held-out rows' ROC AUC, overall and per source: regularisation is chosen on these (the natural Davidson rows),
            // not on an evaluation set.
            LogHeldOutAuc(label, scored.Select((c, i) => (c.Score, c.Label, rows[calibrate[i].Row].Source ?? "")).ToList(), log);
            var gated = settings.StanceGatedHeads.Contains(label);
            var threshold = settings.Threshold ?? BestF1Threshold(scored.Select((c, i) =>
                (gated && onlyPositive[calibrate[i].Row] ? 0 : calibration.Apply(c.Score), c.Label, c.Weight)).ToList());
            heads.Add(new HeadManifest(label, threshold, calibration, gated ? HeadGates.SpeakerStance : null));
            weights.Add((bias, w));
            log?.Invoke($"{label}: {w.Count(x => x != 0)} non-zero weights, Platt slope {calibration.Slope:0.###} offset {calibration.Offset:0.###}, threshold {threshold:0.##}");
        }
        var manifest = new ModelManifest
        {
            Id = settings.Id,
            Version = settings.Version,
            Kind = ModelManifest.LinearKind,
            Languages = settings.Languages,
            Features = settings.Features,
            Heads = heads,
            Files = new Dictionary<string, string>(),
            Training = settings.Notes,
        };
        return LinearTextModel.Save(outDirectory, manifest, weights);
    }

    private static void LogHeldOutAuc(string label, List<(float Score, bool Label, string Source)> scored, Action<string>? log)
    {
        if (log is null) return;
        var groups = new[] { ("all", scored) }.Concat(scored.GroupBy(s => s.Source).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.ToList())));
        foreach (var (name, items) in groups)
            if (ClassifierEvaluator.RocAuc(items.Select(x => ((double)x.Score, x.Label)).ToList()) is { } auc)
                log($"{label}: held-out ROC AUC {name} {auc:0.0000} ({items.Count} rows)");
    }

    internal static double BestF1Threshold(List<(double P, bool Y, float W)> rows)
    {
        var best = (F1: -1.0, T: 0.5);
        for (var t = 0.2; t <= 0.8001; t += 0.05)
        {
            double tp = 0, fp = 0, fn = 0;
            foreach (var (p, y, w) in rows)
            {
                if (p >= t && y) tp += w;
                else if (p >= t) fp += w;
                else if (y) fn += w;
            }
            var f1 = tp == 0 ? 0 : 2 * tp / (2 * tp + fp + fn);
            if (f1 > best.F1 + 1e-9) best = (f1, Math.Round(t, 2));
        }
        return best.T;
    }

    /// <summary>The vector with some entries left out (not renormalised, so the remaining values are those scoring sees).</summary>
    private static VBuffer<float> WithoutIndices(VBuffer<float> v, IReadOnlySet<int> drop)
    {
        var idx = v.GetIndices();
        var val = v.GetValues();
        var keptIdx = new List<int>(idx.Length);
        var keptVal = new List<float>(idx.Length);
        for (var i = 0; i < idx.Length; i++)
        {
            if (drop.Contains(idx[i])) continue;
            keptIdx.Add(idx[i]);
            keptVal.Add(val[i]);
        }
        return new VBuffer<float>(v.Length, keptIdx.Count, keptVal.ToArray(), keptIdx.ToArray());
    }

    private static float RawScore(VBuffer<float> v, float[] w, float bias)
    {
        var s = bias;
        var idx = v.GetIndices();
        var val = v.GetValues();
        for (var i = 0; i < idx.Length; i++) s += w[idx[i]] * val[i];
        return s;
    }

    /// <summary>Deterministic by text, so duplicates of one text never straddle the split.</summary>
    internal static bool InCalibrationShare(string text, double share)
    {
        var h = 2166136261u;
        foreach (var c in text) h = (h ^ c) * 16777619u;
        return (h % 10000) < share * 10000;
    }
}
