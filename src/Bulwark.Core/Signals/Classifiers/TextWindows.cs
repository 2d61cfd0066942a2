namespace Bulwark.Core.Signals.Classifiers;

/// <summary>A span of a text that is scored on its own: <c>text[Start..(Start + Length)]</c>.</summary>
public readonly record struct TextWindow(int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>
/// How a text is cut into the windows a prose model scores, so that an item's score is that of its strongest window: text
/// appended before or after a threat cannot dilute it, and nothing past a length cut-off goes unscored.
/// <list type="bullet">
/// <item><b>Sentences</b> end at <c>. ! ? …</c> (optionally followed by closing quotes or brackets) before white space, and at
/// every line break. A sentence end inside a quotation that is closed on the same line does not count, so a quoted sentence
/// stays with the words that report it ("He said 'I will kill you.' That is a threat."). An unmatched quotation mark is
/// ignored here, so a stray <c>"</c> cannot swallow the rest of a text.</item>
/// <item><b>Units</b> are sentences of at most <see cref="MaxWindowTokens"/> tokens and <see cref="MaxWindowChars"/>
/// characters; a longer sentence is cut into chunks of that size that overlap by half, so any stretch of up to half a
/// window lies whole inside one chunk (a run-on sentence dilutes a threat by at most that much), and a single token longer
/// than that (a 64 KiB string without spaces) is cut by characters the same way.</item>
/// <item><b>Windows</b> are every unit alone and every two adjacent sentences together (so "Women think they're special. I
/// hate them." is read with its referent). A text of one sentence is one window, scored exactly as before.</item>
/// </list>
/// Each character is in at most two units and each unit in at most three windows, so the work is linear in the text's length.
/// </summary>
public static class TextWindows
{
    /// <summary>Tokens (white-space separated) in a unit; longer sentences are chunked. Most sentences people write are shorter.</summary>
    public const int MaxWindowTokens = 40;
    /// <summary>Characters in a unit; longer sentences (or tokens) are chunked.</summary>
    public const int MaxWindowChars = 400;
    /// <summary>Texts and windows with fewer word tokens are not run through the prose heads (too short to carry meaning).</summary>
    public const int MinWordTokens = 3;

    private readonly record struct Unit(int Start, int End, bool Sentence);

    [ThreadStatic] private static List<Unit>? s_units;
    [ThreadStatic] private static List<(int Start, int End)>? s_quotes;

    /// <summary>The windows of <paramref name="text"/>, in order of their start (units first, then the pairs).</summary>
    public static void Enumerate(string text, List<TextWindow> into) => Enumerate(text, into, null, out _);

    /// <summary>
    /// As <see cref="Enumerate(string, List{TextWindow})"/>, and says how the windows are built: the first
    /// <paramref name="units"/> windows are the units; window <c>units + k</c> is units <c>pairs[k].A</c> and <c>pairs[k].B</c>
    /// (adjacent sentences) together, with only white space between them.
    /// </summary>
    public static void Enumerate(string text, List<TextWindow> into, List<(int A, int B)>? pairs, out int units)
    {
        into.Clear();
        pairs?.Clear();
        units = 0;
        if (string.IsNullOrEmpty(text)) return;
        var list = s_units ??= [];
        list.Clear();
        var quotes = MatchedQuotes(text);
        var start = -1;
        var q = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var end = i == text.Length;
            var c = end ? '\n' : text[i];
            if (!char.IsWhiteSpace(c))
            {
                if (start < 0) start = i;
                continue;
            }
            if (start < 0) continue;
            while (q < quotes.Count && quotes[q].End < i) q++;
            var inQuote = q < quotes.Count && quotes[q].Start < i && i < quotes[q].End;
            if (c == '\n' || end || (!inQuote && EndsSentence(text, i)))
            {
                AddSentence(text, start, TrimEnd(text, start, i), list);
                start = -1;
            }
        }
        foreach (var u in list) into.Add(new TextWindow(u.Start, u.End - u.Start));
        units = list.Count;
        for (var k = 0; k + 1 < list.Count; k++)
            if (list[k].Sentence && list[k + 1].Sentence)
            {
                into.Add(new TextWindow(list[k].Start, list[k + 1].End - list[k].Start));
                pairs?.Add((k, k + 1));
            }
    }

    /// <summary>Whether the non-space text before position <paramref name="i"/> ends with a sentence terminator (closing quotes and brackets skipped).</summary>
    private static bool EndsSentence(string text, int i)
    {
        var j = i - 1;
        while (j >= 0 && (text[j] is ')' or ']' or '\u201D' or '\u00BB' or '"' or '\'' or '\u2019')) j--;
        return j >= 0 && text[j] is '.' or '!' or '?' or '\u2026';
    }

    private static int TrimEnd(string text, int start, int end)
    {
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        return end;
    }

    /// <summary>Quotation spans (opening to closing mark) that close on the line they open; unmatched marks are left out.</summary>
    private static List<(int Start, int End)> MatchedQuotes(string text)
    {
        var quotes = s_quotes ??= [];
        quotes.Clear();
        var open = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n') { open = -1; continue; }
            var kind = TextFeaturizer.QuoteKind(text, i);
            if (kind == 0) continue;
            if (open < 0) { if (kind is 1 or 3) open = i; }
            else if (kind is 2 or 3) { quotes.Add((open, i)); open = -1; }
        }
        return quotes;
    }

    /// <summary>One sentence, or its overlapping chunks when it is longer than a window.</summary>
    private static void AddSentence(string text, int start, int end, List<Unit> units)
    {
        if (end <= start) return;
        var span = text.AsSpan(start, end - start);
        if (span.Length <= MaxWindowChars && CountTokens(span, MaxWindowTokens + 1) <= MaxWindowTokens)
        {
            units.Add(new Unit(start, end, true));
            return;
        }
        // Token starts and ends of the sentence (linear; the sentence is read once more per chunk boundary only).
        var tokens = new List<(int Start, int End)>();
        for (var i = start; i < end;)
        {
            while (i < end && char.IsWhiteSpace(text[i])) i++;
            if (i >= end) break;
            var s = i;
            while (i < end && !char.IsWhiteSpace(text[i])) i++;
            tokens.Add((s, i));
        }
        for (var t = 0; t < tokens.Count;)
        {
            var u = t;
            while (u < tokens.Count && u - t < MaxWindowTokens && tokens[u].End - tokens[t].Start <= MaxWindowChars) u++;
            if (u == t)
            {
                // One token longer than a window: cut it by characters, half-overlapping.
                var (ts, te) = tokens[t];
                for (var c = ts; ; c += MaxWindowChars / 2)
                {
                    units.Add(new Unit(c, Math.Min(te, c + MaxWindowChars), false));
                    if (c + MaxWindowChars >= te) break;
                }
                t++;
                continue;
            }
            units.Add(new Unit(tokens[t].Start, tokens[u - 1].End, false));
            if (u == tokens.Count) break;
            t += Math.Max(1, (u - t) / 2);
        }
    }

    /// <summary>White-space separated tokens, counting up to <paramref name="stopAt"/>.</summary>
    private static int CountTokens(ReadOnlySpan<char> text, int stopAt)
    {
        var n = 0;
        var inToken = false;
        foreach (var c in text)
        {
            var space = char.IsWhiteSpace(c);
            if (!space && !inToken && ++n >= stopAt) return n;
            inToken = !space;
        }
        return n;
    }

    /// <summary>
    /// Word tokens: white-space separated tokens with at least one letter that are not identifiers (a URL, an @mention, a
    /// #hashtag). "user4" is one word, "wow nice" two, "🔥🔥" none. Counts up to <paramref name="stopAt"/>.
    /// </summary>
    public static int WordTokens(ReadOnlySpan<char> text, int stopAt = int.MaxValue)
    {
        var n = 0;
        for (var i = 0; i < text.Length && n < stopAt;)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            var s = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
            if (i > s && IsWord(text[s..i])) n++;
        }
        return n;
    }

    private static bool IsWord(ReadOnlySpan<char> token)
    {
        var t = token.TrimStart("\"'“‘«(¿¡[");
        if (t.IsEmpty || t[0] is '@' or '#') return false;
        if (t.Contains("://", StringComparison.Ordinal) || t.StartsWith("www.", StringComparison.OrdinalIgnoreCase)) return false;
        foreach (var c in t) if (char.IsLetter(c)) return true;
        return false;
    }

    /// <summary>
    /// Why a field is not run through the prose heads, or null if it is: identifiers (the account handle, hashtags, a display
    /// name that is one token, i.e. a handle), and texts of fewer than <see cref="MinWordTokens"/> word tokens.
    /// </summary>
    public static string? NotProse(string field, string text)
    {
        if (field is "account.handle" or "hashtags") return $"{field} is an identifier, not prose";
        var words = WordTokens(text, MinWordTokens);
        if (field == "account.displayName" && CountTokens(text, 2) < 2) return "the display name is a single token (a handle), not prose";
        return words < MinWordTokens ? $"fewer than {MinWordTokens} word tokens ({words}): too short to carry meaning" : null;
    }
}
