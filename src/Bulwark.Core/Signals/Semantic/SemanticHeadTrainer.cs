using System.Globalization;
using System.Security.Cryptography;
using Bulwark.Core.Policy;

namespace Bulwark.Core.Signals.Semantic;

/// <summary>One training row: a text, whether it is violating, its weight, and where it came from.</summary>
public sealed record SemanticRow(string Text, bool Violating, float Weight, string Source);

/// <summary>
/// Trains <see cref="SemanticHead"/>: L2-regularised logistic regression by full-batch gradient descent over sentence
/// embeddings, from zero weights, in row order — so the same rows give the same head, byte for byte. The threshold is
/// chosen without any held-out evaluation set: the rows of weight 1 (the hand-written development sets) are split into
/// <see cref="Folds"/> folds by row index, a head is trained on the other folds plus every other row, and the threshold is
/// the lowest score at which at most the target benign rate (default <see cref="TargetBenignRate"/>) of the benign
/// out-of-fold rows score at or above it. The default is a third of the stage's 3 % benign budget, since the other
/// detectors already spend part of it on the same texts.
/// </summary>
public static class SemanticHeadTrainer
{
    public const int Folds = 5;
    public const double TargetBenignRate = 0.01;
    public const int Epochs = 400;
    public const double LearningRate = 1.0, L2 = 1e-3;

    /// <param name="neutralCheck">Ordinary texts never trained on (Davidson's held-out "neither" tweets): the log reports how many
    /// of them the final head fires on, a check of false alarms on everyday talk that no evaluation set is needed for.</param>
    /// <param name="cacheFile">Optional file of embeddings by text hash, read and extended, so that retraining with other weights
    /// does not embed the same texts again (the vectors are deterministic, so the head is the same with or without it).</param>
    public static SemanticHead Train(IReadOnlyList<SemanticRow> rows, string id, string version, IReadOnlyList<string> trainedOn,
        Action<string>? log = null, double targetBenignRate = TargetBenignRate, CancellationToken ct = default,
        IReadOnlyList<string>? neutralCheck = null, string? cacheFile = null)
    {
        if (rows.Count == 0) throw new ArgumentException("no training rows", nameof(rows));
        if (!rows.Any(r => r.Violating) || rows.All(r => r.Violating)) throw new ArgumentException("training needs both violating and benign rows", nameof(rows));
        var x = EmbedAll(rows.Select(r => r.Text).ToList(), cacheFile, log, ct);
        var y = rows.Select(r => r.Violating ? 1.0 : 0.0).ToArray();
        var w = rows.Select(r => (double)r.Weight).ToArray();

        // Out-of-fold scores of the weight-1 rows, for the threshold.
        var heldBenign = new List<double>();
        var heldViolating = new List<double>();
        var core = Enumerable.Range(0, rows.Count).Where(i => rows[i].Weight >= 1f).ToArray();
        for (var f = 0; f < Folds; f++)
        {
            var test = core.Where((_, k) => k % Folds == f).ToHashSet();
            var (fw, fb) = Fit(x, y, w, i => !test.Contains(i), ct);
            foreach (var i in test) (y[i] > 0 ? heldViolating : heldBenign).Add(Dot(fw, fb, x[i]));
        }
        var threshold = ChooseThreshold(heldBenign, targetBenignRate);
        var recall = heldViolating.Count == 0 ? 0 : heldViolating.Count(s => s >= threshold) / (double)heldViolating.Count;
        var benignRate = heldBenign.Count == 0 ? 0 : heldBenign.Count(s => s >= threshold) / (double)heldBenign.Count;
        log?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"out-of-fold ({Folds} folds, target benign rate {targetBenignRate:P1}, {heldViolating.Count} violating, {heldBenign.Count} benign): threshold {threshold:0.000}, violating {recall:P1}, benign {benignRate:P1}"));

        var (weights, bias) = Fit(x, y, w, _ => true, ct);
        if (neutralCheck is { Count: > 0 })
        {
            var nx = EmbedAll(neutralCheck, cacheFile, log, ct);
            var fired = nx.Count(v => Dot(weights, bias, v) >= threshold);
            log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"held-out neutral check: fires on {fired} of {nx.Length} ordinary texts never trained on ({fired / (double)nx.Length:P2})"));
        }
        return new SemanticHead
        {
            Id = id, Version = version, Weights = weights.Select(v => (float)v).ToArray(), Bias = (float)bias,
            Threshold = Math.Round(threshold, 4), TrainedOn = trainedOn,
        };
    }

    private static float[][] EmbedAll(IReadOnlyList<string> texts, string? cacheFile, Action<string>? log, CancellationToken ct)
    {
        static string Key(string t) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(t)));
        var cache = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (cacheFile is not null && File.Exists(cacheFile))
            foreach (var line in File.ReadLines(cacheFile))
            {
                var tab = line.IndexOf('\t');
                if (tab <= 0) continue;
                var bytes = Convert.FromBase64String(line[(tab + 1)..]);
                if (bytes.Length != SentenceEmbedder.Dimension * sizeof(float)) continue;
                var v = new float[SentenceEmbedder.Dimension];
                Buffer.BlockCopy(bytes, 0, v, 0, bytes.Length);
                cache[line[..tab]] = v;
            }
        var keys = texts.Select(Key).ToArray();
        var missing = Enumerable.Range(0, texts.Count).Where(i => !cache.ContainsKey(keys[i])).GroupBy(i => keys[i]).Select(g => g.First()).ToArray();
        using var writer = cacheFile is null ? null : new StreamWriter(cacheFile, append: true);
        const int batch = 32;
        for (var i = 0; i < missing.Length; i += batch)
        {
            var part = missing.Skip(i).Take(batch).ToArray();
            var vectors = SentenceEmbedder.Embed(part.Select(j => texts[j]).ToArray(), ct);
            for (var k = 0; k < part.Length; k++)
            {
                cache[keys[part[k]]] = vectors[k];
                if (writer is not null)
                {
                    var bytes = new byte[vectors[k].Length * sizeof(float)];
                    Buffer.BlockCopy(vectors[k], 0, bytes, 0, bytes.Length);
                    writer.WriteLine(keys[part[k]] + "\t" + Convert.ToBase64String(bytes));
                }
            }
            if (i % 1024 == 0) log?.Invoke($"embedded {Math.Min(i + batch, missing.Length)} of {missing.Length} new texts ({texts.Count - missing.Length} from the cache)");
        }
        return keys.Select(k => cache[k]).ToArray();
    }

    /// <summary>The lowest threshold that flags at most <see cref="TargetBenignRate"/> of the benign scores (at least one step above the allowed count's score).</summary>
    public static double ChooseThreshold(IReadOnlyList<double> benignScores, double targetBenignRate = TargetBenignRate)
    {
        if (benignScores.Count == 0) return 0.5;
        var sorted = benignScores.OrderByDescending(s => s).ToArray();
        var allowed = (int)Math.Floor(targetBenignRate * sorted.Length);
        var t = sorted[Math.Min(allowed, sorted.Length - 1)] + 1e-4;
        return Math.Clamp(t, 0.05, 0.99);
    }

    private static double Dot(double[] w, double b, float[] x)
    {
        var z = b;
        for (var k = 0; k < w.Length; k++) z += w[k] * x[k];
        return 1.0 / (1.0 + Math.Exp(-z));
    }

    private static (double[] W, double B) Fit(float[][] x, double[] y, double[] weight, Func<int, bool> use, CancellationToken ct)
    {
        var d = x[0].Length;
        var w = new double[d];
        double b = 0;
        var idx = Enumerable.Range(0, x.Length).Where(use).ToArray();
        var total = idx.Sum(i => weight[i]);
        var g = new double[d];
        for (var epoch = 0; epoch < Epochs; epoch++)
        {
            ct.ThrowIfCancellationRequested();
            Array.Clear(g);
            double gb = 0;
            foreach (var i in idx)
            {
                var e = (Dot(w, b, x[i]) - y[i]) * weight[i];
                var xi = x[i];
                for (var k = 0; k < d; k++) g[k] += e * xi[k];
                gb += e;
            }
            for (var k = 0; k < d; k++) w[k] -= LearningRate * (g[k] / total + L2 * w[k]);
            b -= LearningRate * gb / total;
        }
        return (w, b);
    }

    /// <summary>Rows of a <c>label,lang,text[,class]</c> file (the development sets), weight 1, and the file's SHA-256 for the record.</summary>
    public static (List<SemanticRow> Rows, string Record) ReadPolicyFile(string path)
    {
        var items = TextStageEvaluator.Read(path);
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        var rows = items.Select(i => new SemanticRow(i.Text, i.Violating, 1f, Path.GetFileName(path))).ToList();
        return (rows, $"{Path.GetFileName(path)} ({rows.Count} rows, sha256 {sha})");
    }

    /// <summary>
    /// Latent Hatred (ElSherief et al. 2021, CC BY 4.0): the stage-2 posts labelled <c>threatening</c> as violating and every
    /// <paramref name="negativeEvery"/>-th stage-1 <c>not_hate</c> post as benign, both at <paramref name="weight"/> (implicit,
    /// and not all about violence). Files are read where they lie, never copied.
    /// </summary>
    public static (List<SemanticRow> Rows, string Record) ReadLatentHatred(string folder, float weight, int negativeEvery)
    {
        static IEnumerable<string[]> Tsv(string path) => File.ReadLines(path).Skip(1).Select(l => l.Split('\t')).Where(p => p.Length >= 2);
        static string Clean(string s) => s.Trim().Trim('"').Replace("\"\"", "\"").Trim();
        var stage1 = Path.Combine(folder, "implicit_hate_v1_stg1_posts.tsv");
        var stage2 = Path.Combine(folder, "implicit_hate_v1_stg2_posts.tsv");
        foreach (var f in new[] { stage1, stage2 })
            if (!File.Exists(f)) throw new FileNotFoundException($"Latent Hatred file '{f}' does not exist.", f);
        var rows = new List<SemanticRow>();
        rows.AddRange(Tsv(stage2).Where(p => p[1] == "threatening").Select(p => new SemanticRow(Clean(p[0]), true, weight, "latent-hatred")));
        rows.AddRange(Tsv(stage1).Where(p => p[1] == "not_hate").Where((_, i) => i % negativeEvery == 0).Select(p => new SemanticRow(Clean(p[0]), false, weight, "latent-hatred")));
        rows.RemoveAll(r => r.Text.Length == 0);
        return (rows, string.Create(CultureInfo.InvariantCulture,
            $"latent_hatred_en ({rows.Count(r => r.Violating)} threatening, {rows.Count(r => !r.Violating)} not_hate, weight {weight})"));
    }
}
