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

    /// <summary>Scores <paramref name="text"/> (of <paramref name="field"/>, e.g. <c>comment</c>, <c>account.handle</c>).</summary>
    public static WindowedScore Score(ITextClassifier model, string? text, string field = "text")
    {
        var heads = model.Manifest.Heads.Count;
        var result = new WindowedScore(heads);
        if (string.IsNullOrWhiteSpace(text)) { result.NotScored = "empty"; return result; }
        if (TextWindows.NotProse(field, text) is { } why) { result.NotScored = why; return result; }
        var windows = s_windows ??= [];
        TextWindows.Enumerate(text, windows);
        Span<double> p = stackalloc double[heads];
        var single = windows.Count == 1;
        foreach (var w in windows)
        {
            // The whole text has three word tokens or more (checked above); a window of fewer is too short to read alone.
            if (!single && TextWindows.WordTokens(text.AsSpan(w.Start, w.Length), TextWindows.MinWordTokens) < TextWindows.MinWordTokens) continue;
            model.Score(w.Start == 0 && w.Length == text.Length ? text : text.Substring(w.Start, w.Length), p);
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

    /// <summary>A short excerpt of a window for explanations: at most <paramref name="max"/> characters, one line.</summary>
    public static string Excerpt(string text, TextWindow w, int max = 80)
    {
        var s = text.AsSpan(w.Start, w.Length);
        var cut = s.Length > max ? string.Concat(s[..(max - 1)], "…") : s.ToString();
        return cut.ReplaceLineEndings(" ");
    }
}
