namespace Bulwark.Core.Actions.Review.Search;

/// <summary>
/// A text search as the index reads it: the runs of letters and digits of what the user typed, lower-cased, each matched as
/// the start of a word, all required. Everything else (quotes, <c>*</c>, <c>:</c>, <c>-</c>, <c>NEAR(</c>'s brackets, SQL
/// wildcards) separates words and is never passed to FTS5 or <c>to_tsquery</c> as syntax, so no input can be read as an
/// operator; a bare keyword such as <c>NEAR</c> or <c>AND</c> is quoted and searched as the word it is.
/// </summary>
public static class SearchTerms
{
    public const int MaxTerms = 8;
    public const int MaxTermLength = 64;

    /// <summary>The terms, or a message naming what is wrong.</summary>
    public static (IReadOnlyList<string> Terms, string? Error) Parse(string text)
    {
        text = text.Normalize(System.Text.NormalizationForm.FormC);
        var terms = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (!IsWordChar(text, i)) { i++; continue; }
            var start = i;
            while (i < text.Length && IsWordChar(text, i)) i++;
            var term = text[start..i].ToLowerInvariant();
            if (term.Length > MaxTermLength) return ([], $"A word is at most {MaxTermLength} characters; one has {term.Length}.");
            if (!terms.Contains(term)) terms.Add(term);
        }
        if (terms.Count == 0) return ([], "Type at least one word (letters or digits) to search the text; punctuation only separates words.");
        if (terms.Count > MaxTerms) return ([], $"A text search takes at most {MaxTerms} words; this one has {terms.Count}.");
        return (terms, null);
    }

    // Letters and digits of the Basic Multilingual Plane; FTS5's unicode61 and PostgreSQL's [[:alnum:]] split the same way
    // for the scripts moderators search (Latin, Greek, Cyrillic, Arabic…). Combining marks end a word here, so text is
    // searched as it is composed (NFC).
    private static bool IsWordChar(string s, int i) => char.IsLetterOrDigit(s[i]);
}
