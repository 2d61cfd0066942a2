using System.Text.RegularExpressions;

namespace Bulwark.Tests.Infrastructure;

/// <summary>
/// Finds English in text that should be Italian: a paragraph with two or more English function words (words Italian does not
/// have: "the", "and", "was", "your"…) is English. Names, numbers, codes and single borrowed words ("policy", "video") pass.
/// </summary>
public static partial class EnglishText
{
    private static readonly HashSet<string> FunctionWords = new(StringComparer.Ordinal)
    {
        "the", "and", "of", "to", "was", "were", "is", "are", "our", "we", "your", "you", "by", "with", "has", "have", "had", "that",
        "this", "from", "not", "been", "which", "it", "be", "for", "on", "at", "an", "as", "can", "may", "will", "their", "its",
        "what", "who", "when", "where", "why", "how", "there", "these", "those", "into", "only", "any", "all", "than", "then",
    };

    /// <summary>The English function words in <paramref name="paragraph"/>.</summary>
    public static IReadOnlyList<string> FunctionWordsIn(string paragraph) =>
        Word().Matches(paragraph).Select(m => m.Value.ToLowerInvariant()).Where(FunctionWords.Contains).ToList();

    public static bool LooksEnglish(string paragraph) => FunctionWordsIn(paragraph).Count >= 2;

    /// <summary>The paragraphs (non-empty lines) of <paramref name="text"/> that look English.</summary>
    public static IReadOnlyList<string> EnglishParagraphs(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && LooksEnglish(l)).ToList();

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Word();
}
