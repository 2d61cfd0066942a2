namespace Bulwark.Core.Signals.Classifiers;

/// <summary>
/// The score of a whole text: per head, the strongest of its windows (<see cref="TextWindows"/>) and which window that was.
/// <see cref="NotScored"/> says why a text was not run through the prose heads (an identifier, fewer than three word tokens);
/// its probabilities are then 0.
/// </summary>
public sealed class WindowedScore(int heads)
{
    public double[] Probabilities { get; } = new double[heads];
    /// <summary>Per head, the window that gave its probability (default when nothing was scored).</summary>
    public TextWindow[] Strongest { get; } = new TextWindow[heads];
    /// <summary>How many windows were scored (windows with fewer than three word tokens are not).</summary>
    public int Windows { get; internal set; }
    public string? NotScored { get; internal set; }
}

/// <summary>
/// Scores a text window by window with any <see cref="ITextClassifier"/> and keeps, per head, the strongest window. This is
/// what the pipeline and <c>bulwark classifier eval</c> use; <see cref="ITextClassifier.Score"/> alone scores one window.
/// </summary>
public static class WindowedScoring
{
    [ThreadStatic] private static List<TextWindow>? s_windows;
    [ThreadStatic] private static List<(int A, int B)>? s_pairs;
    [ThreadStatic] private static List<TextFeaturizer.Segment>? s_segments;
    [ThreadStatic] private static TextFeaturizer.Vector? s_vector;

    /// <summary>Scores <paramref name="text"/> (of <paramref name="field"/>, e.g. <c>comment</c>, <c>account.handle</c>).</summary>
    /// <remarks>
    /// Every window's text is featurised. Composing windows from sentences featurised once gives the same scores (property
    /// test) and is faster on long texts in isolation (BenchmarkDotNet), but in the pipeline's load test it doubled the
    /// stage's time per item (0.24 against 0.11 ms, docs/benchmarks.md): most items are one or two sentences, and the
    /// joinability checks normalise the boundary clauses again. It stays available for long texts once that is fixed.
    /// </remarks>
    public static WindowedScore Score(ITextClassifier model, string? text, string field = "text") => Score(model, text, field, reuseSentences: false);

    /// <summary>
    /// With <paramref name="reuseSentences"/>, the built-in model composes each window from its sentences, featurised once
    /// (the default); without, every window's text is featurised (the reference the property tests compare it with). Both give
    /// the same scores.
    /// </summary>
    internal static WindowedScore Score(ITextClassifier model, string? text, string field, bool reuseSentences)
    {
        var heads = model.Manifest.Heads.Count;
        var result = new WindowedScore(heads);
        if (string.IsNullOrWhiteSpace(text)) { result.NotScored = "empty"; return result; }
        if (TextWindows.NotProse(field, text) is { } why) { result.NotScored = why; return result; }
        var windows = s_windows ??= [];
        var pairs = s_pairs ??= [];
        TextWindows.Enumerate(text, windows, pairs, out var units);
        Span<double> p = stackalloc double[heads];
        var single = windows.Count == 1;
        var linear = reuseSentences ? model as LinearTextModel : null;
        var segments = s_segments ??= [];
        if (linear is not null)
        {
            while (segments.Count < units) segments.Add(new TextFeaturizer.Segment());
            for (var k = 0; k < units; k++) segments[k].Used = false;
        }
        for (var n = 0; n < windows.Count; n++)
        {
            var w = windows[n];
            // The whole text has three word tokens or more (checked above); a window of fewer is too short to read alone.
            if (!single && TextWindows.WordTokens(text.AsSpan(w.Start, w.Length), TextWindows.MinWordTokens) < TextWindows.MinWordTokens) continue;
            if (linear is not null) ScoreComposed(linear, text, windows, n, units, pairs, segments, p);
            else model.Score(w.Start == 0 && w.Length == text.Length ? text : text.Substring(w.Start, w.Length), p);
            result.Windows++;
            for (var h = 0; h < heads; h++)
                if (p[h] > result.Probabilities[h] || result.Windows == 1)
                {
                    result.Probabilities[h] = p[h];
                    result.Strongest[h] = w;
                }
        }
        if (result.Windows == 0) result.NotScored = $"no window has {TextWindows.MinWordTokens} word tokens";
        return result;
    }

    /// <summary>
    /// Window <paramref name="n"/> scored from its units' segments, each featurised at most once per target class: a unit
    /// alone, or two adjacent sentences composed when their boundary is a clause break; any other pair from its text.
    /// </summary>
    private static void ScoreComposed(LinearTextModel model, string text, List<TextWindow> windows, int n, int units,
        List<(int A, int B)> pairs, List<TextFeaturizer.Segment> segments, Span<double> p)
    {
        var f = model.Featurizer;
        var v = s_vector ??= new TextFeaturizer.Vector();
        TextFeaturizer.Segment Seg(int k)
        {
            var s = segments[k];
            if (!s.Used) f.Prepare(text.AsSpan(windows[k].Start, windows[k].Length), s);
            return s;
        }
        if (n < units) f.Compose(Seg(n), null, v);
        else
        {
            var (a, b) = pairs[n - units];
            var sa = Seg(a);
            var between = text.AsSpan(windows[a].End, windows[b].Start - windows[a].End);
            var sb = Seg(b);
            if (TextFeaturizer.Joinable(sa, sb, between)) f.Compose(sa, sb, v);
            else f.Featurize(text.Substring(windows[n].Start, windows[n].Length), v);
        }
        model.Score(v, p);
    }

    /// <summary>A short excerpt of a window for explanations: at most <paramref name="max"/> characters, one line.</summary>
    public static string Excerpt(string text, TextWindow w, int max = 80)
    {
        var s = text.AsSpan(w.Start, w.Length);
        var cut = s.Length > max ? string.Concat(s[..(max - 1)], "…") : s.ToString();
        return cut.ReplaceLineEndings(" ");
    }
}
